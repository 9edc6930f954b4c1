package dev.flowline.workspaces;

import dev.flowline.platform.errors.FlowlineException;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.testing.Deployments;
import dev.flowline.workspaces.RunQuotaService.RunUnit;
import dev.flowline.workspaces.StaticRunUsageRepository.QuotaState;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The workspace services' rules on a {@link StaticWorkspaceMembershipRepository} and a
 * {@link StaticRunUsageRepository}: tenancy gating, role checks, plan features and run quotas, decided without a
 * database.
 */
@ExtendWith(ArquillianExtension.class)
class WorkspaceRulesIT {

    private static final UUID WORKSPACE = UUID.randomUUID();
    private static final UUID USER = UUID.randomUUID();

    @Deployment
    static WebArchive deployment() {
        return Deployments.rulesOnDoubles();
    }

    @Inject
    StaticWorkspaceMembershipRepository repository;

    @Inject
    StaticRunUsageRepository runUsage;

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
        runUsage.reset();
    }

    @Test
    void nonMembersAndWeakerRolesAreRefused() {
        assertThatThrownBy(() -> access.require(WORKSPACE, USER, WorkspaceRole.VIEWER))
                .isInstanceOf(NotAMemberException.class);
        repository.memberAs(WorkspaceRole.VIEWER);
        assertThat(access.require(WORKSPACE, USER, WorkspaceRole.VIEWER)).isEqualTo(WorkspaceRole.VIEWER);
        assertThatThrownBy(() -> access.require(WORKSPACE, USER, WorkspaceRole.MEMBER))
                .isInstanceOf(RoleRequiredException.class);
        repository.memberAs(WorkspaceRole.ADMIN);
        assertThat(access.require(WORKSPACE, USER, WorkspaceRole.MEMBER)).isEqualTo(WorkspaceRole.ADMIN);
        assertThatThrownBy(() -> access.require(WORKSPACE, USER, WorkspaceRole.OWNER))
                .isInstanceOf(RoleRequiredException.class);
    }

    @Test
    void services403BeforeTouchingAnything() {
        assertThatExceptionOfType(NotAMemberException.class).isThrownBy(() -> usage.usage(WORKSPACE, USER))
                .extracting(FlowlineException::status).isEqualTo(403);
        repository.memberAs(WorkspaceRole.MEMBER);
        assertThatThrownBy(() -> invitations.invite(WORKSPACE, USER, "someone@example.com", WorkspaceRole.VIEWER))
                .isInstanceOf(RoleRequiredException.class);
        assertThatThrownBy(() -> members.changeRole(WORKSPACE, USER, UUID.randomUUID(), WorkspaceRole.VIEWER))
                .isInstanceOf(RoleRequiredException.class);
        assertThat(runUsage.consumeCalls()).isEqualTo(0);
    }

    @Test
    void runsWithinTheAllocationAreTakenAndReleased() {
        RunUnit unit = quotas.consume(WORKSPACE);
        assertThat(unit.kind()).isEqualTo(RunConsumption.WITHIN_ALLOCATION);
        quotas.release(unit);
        assertThat(runUsage.consumeCalls()).isEqualTo(1);
        assertThat(runUsage.releaseCalls()).isEqualTo(1);
    }

    @Test
    void atTheLimitAPlanWithoutOverageRefusesWith402() {
        repository.plan(PlanTier.SOLO);
        runUsage.quota(QuotaState.AT_LIMIT);
        assertThatExceptionOfType(RunQuotaExceededException.class).isThrownBy(() -> quotas.consume(WORKSPACE))
                .extracting(FlowlineException::status).isEqualTo(402);
        assertThat(runUsage.consumeCalls()).isEqualTo(1);
        assertThat(runUsage.releaseCalls()).isEqualTo(0);
    }

    @Test
    void atTheLimitAPlanWithOverageRecordsOverage() {
        repository.plan(PlanTier.WORKSPACE);
        runUsage.quota(QuotaState.OVER);
        assertThat(quotas.consume(WORKSPACE).kind()).isEqualTo(RunConsumption.OVERAGE);
    }

    @Test
    void quotasFollowTheBillingCycleWhileItCoversNow() {
        Instant now = Instant.now();
        assertThat(quotas.currentPeriod(WORKSPACE)).isEqualTo(BillingPeriod.calendarMonthOf(now));
        BillingPeriod cycle = new BillingPeriod(now.minus(Duration.ofDays(3)), now.plus(Duration.ofDays(27)));
        runUsage.billingCycle(new BillingCycle(WORKSPACE, "sub_123", cycle));
        assertThat(quotas.currentPeriod(WORKSPACE)).isEqualTo(cycle);
        BillingPeriod lapsed = new BillingPeriod(now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(10)));
        runUsage.billingCycle(new BillingCycle(WORKSPACE, "sub_123", lapsed));
        assertThat(quotas.currentPeriod(WORKSPACE)).isEqualTo(BillingPeriod.calendarMonthOf(now));
    }

    @Test
    void aSoloWorkspaceCannotInviteAndNobodyIsInvitedAsOwner() {
        repository.memberAs(WorkspaceRole.OWNER);
        assertThatThrownBy(() -> invitations.invite(WORKSPACE, USER, "x@example.com", WorkspaceRole.OWNER))
                .isInstanceOf(InvalidInputException.class);
        repository.plan(PlanTier.SOLO);
        assertThatExceptionOfType(PlanFeatureException.class)
                .isThrownBy(() -> invitations.invite(WORKSPACE, USER, "x@example.com", WorkspaceRole.MEMBER))
                .extracting(FlowlineException::status).isEqualTo(402);
    }

    @Test
    void usageReportsThePlanLimitsFromConfiguration() {
        repository.memberAs(WorkspaceRole.VIEWER);
        repository.plan(PlanTier.SOLO);
        WorkspaceUsage solo = usage.usage(WORKSPACE, USER);
        assertThat(solo.plan().seats()).isEqualTo(1);
        assertThat(solo.plan().runsPerPeriod()).isEqualTo(1_000);
        assertThat(solo.plan().overageAllowed()).isFalse();
        repository.plan(PlanTier.WORKSPACE);
        WorkspaceUsage team = usage.usage(WORKSPACE, USER);
        assertThat(team.plan().seats()).isEqualTo(10);
        assertThat(team.plan().sharedConnections()).isTrue();
    }

    @Test
    void calendarMonthsAreUtc() {
        BillingPeriod november = BillingPeriod.calendarMonthOf(Instant.parse("2026-11-30T23:59:59Z"));
        assertThat(november.start()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(november.end()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    }
}
