package dev.flowline.workspaces;

import dev.flowline.platform.errors.FlowlineException;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.testing.Deployments;
import dev.flowline.workspaces.RunQuotaService.RunUnit;
import dev.flowline.workspaces.StaticWorkspaceMembershipRepository.QuotaState;
import dev.flowline.workspaces.WorkspaceErrors.NotAMemberException;
import dev.flowline.workspaces.WorkspaceErrors.PlanFeatureException;
import dev.flowline.workspaces.WorkspaceErrors.RoleRequiredException;
import dev.flowline.workspaces.WorkspaceErrors.RunQuotaExceededException;
import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The workspace services' rules on a {@link StaticWorkspaceMembershipRepository}: tenancy gating, role checks,
 * plan features and run quotas, decided without a database (in the container, JUnit assertions only).
 */
@ExtendWith(ArquillianExtension.class)
class WorkspaceRulesIT {

    private static final UUID WORKSPACE = UUID.randomUUID();
    private static final UUID USER = UUID.randomUUID();

    @Deployment
    static WebArchive deployment() {
        return Deployments.product().addClasses(WorkspaceRulesIT.class, NeutralWorkspaceRepository.class,
                StaticWorkspaceMembershipRepository.class);
    }

    @Inject
    StaticWorkspaceMembershipRepository repository;

    @Inject
    WorkspaceAccess access;

    @Inject
    RunQuotaService quotas;

    @Inject
    InvitationService invitations;

    @Inject
    MemberService members;

    @Inject
    UsageService usage;

    @BeforeEach
    void reset() {
        repository.reset();
    }

    @Test
    void nonMembersAndWeakerRolesAreRefused() {
        assertThrows(NotAMemberException.class, () -> access.require(WORKSPACE, USER, WorkspaceRole.VIEWER));
        repository.memberAs(WorkspaceRole.VIEWER);
        assertEquals(WorkspaceRole.VIEWER, access.require(WORKSPACE, USER, WorkspaceRole.VIEWER));
        assertThrows(RoleRequiredException.class, () -> access.require(WORKSPACE, USER, WorkspaceRole.MEMBER));
        repository.memberAs(WorkspaceRole.ADMIN);
        assertEquals(WorkspaceRole.ADMIN, access.require(WORKSPACE, USER, WorkspaceRole.MEMBER));
        assertThrows(RoleRequiredException.class, () -> access.require(WORKSPACE, USER, WorkspaceRole.OWNER));
    }

    @Test
    void services403BeforeTouchingAnything() {
        FlowlineException refused = assertThrows(NotAMemberException.class, () -> usage.usage(WORKSPACE, USER));
        assertEquals(403, refused.status());
        repository.memberAs(WorkspaceRole.MEMBER);
        assertThrows(RoleRequiredException.class,
                () -> invitations.invite(WORKSPACE, USER, "someone@example.com", WorkspaceRole.VIEWER));
        assertThrows(RoleRequiredException.class,
                () -> members.changeRole(WORKSPACE, USER, UUID.randomUUID(), WorkspaceRole.VIEWER));
        assertEquals(0, repository.consumeCalls());
    }

    @Test
    void runsWithinTheAllocationAreTakenAndReleased() {
        RunUnit unit = quotas.consume(WORKSPACE);
        assertEquals(RunConsumption.WITHIN_ALLOCATION, unit.kind());
        quotas.release(unit);
        assertEquals(1, repository.consumeCalls());
        assertEquals(1, repository.releaseCalls());
    }

    @Test
    void atTheLimitAPlanWithoutOverageRefusesWith402() {
        repository.plan(PlanTier.SOLO);
        repository.quota(QuotaState.AT_LIMIT);
        RunQuotaExceededException refused = assertThrows(RunQuotaExceededException.class, () -> quotas.consume(WORKSPACE));
        assertEquals(402, refused.status());
        assertEquals(1, repository.consumeCalls());
        assertEquals(0, repository.releaseCalls());
    }

    @Test
    void atTheLimitAPlanWithOverageRecordsOverage() {
        repository.plan(PlanTier.WORKSPACE);
        repository.quota(QuotaState.OVER);
        assertEquals(RunConsumption.OVERAGE, quotas.consume(WORKSPACE).kind());
    }

    @Test
    void quotasFollowTheBillingCycleWhileItCoversNow() {
        Instant now = Instant.now();
        assertEquals(BillingPeriod.calendarMonthOf(now), quotas.currentPeriod(WORKSPACE));
        BillingPeriod cycle = new BillingPeriod(now.minus(Duration.ofDays(3)), now.plus(Duration.ofDays(27)));
        repository.billingCycle(new BillingCycle(WORKSPACE, "sub_123", cycle));
        assertEquals(cycle, quotas.currentPeriod(WORKSPACE));
        BillingPeriod lapsed = new BillingPeriod(now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(10)));
        repository.billingCycle(new BillingCycle(WORKSPACE, "sub_123", lapsed));
        assertEquals(BillingPeriod.calendarMonthOf(now), quotas.currentPeriod(WORKSPACE));
    }

    @Test
    void aSoloWorkspaceCannotInviteAndNobodyIsInvitedAsOwner() {
        repository.memberAs(WorkspaceRole.OWNER);
        assertThrows(InvalidInputException.class,
                () -> invitations.invite(WORKSPACE, USER, "x@example.com", WorkspaceRole.OWNER));
        repository.plan(PlanTier.SOLO);
        PlanFeatureException refused = assertThrows(PlanFeatureException.class,
                () -> invitations.invite(WORKSPACE, USER, "x@example.com", WorkspaceRole.MEMBER));
        assertEquals(402, refused.status());
    }

    @Test
    void usageReportsThePlanLimitsFromConfiguration() {
        repository.memberAs(WorkspaceRole.VIEWER);
        repository.plan(PlanTier.SOLO);
        WorkspaceUsage solo = usage.usage(WORKSPACE, USER);
        assertEquals(1, solo.plan().seats());
        assertEquals(1_000, solo.plan().runsPerPeriod());
        assertEquals(false, solo.plan().overageAllowed());
        repository.plan(PlanTier.WORKSPACE);
        WorkspaceUsage team = usage.usage(WORKSPACE, USER);
        assertEquals(10, team.plan().seats());
        assertEquals(true, team.plan().sharedConnections());
    }

    @Test
    void calendarMonthsAreUtc() {
        BillingPeriod november = BillingPeriod.calendarMonthOf(Instant.parse("2026-11-30T23:59:59Z"));
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), november.start());
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), november.end());
    }
}
