package dev.flowline.workspaces.jpa;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.FlowlineDataSource;
import dev.flowline.platform.security.OpaqueTokens;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.Fixtures;
import dev.flowline.testing.Sql;
import dev.flowline.users.User;
import dev.flowline.users.UserRepository;
import dev.flowline.workspaces.BillingCycle;
import dev.flowline.workspaces.BillingPeriod;
import dev.flowline.workspaces.Invitation;
import dev.flowline.workspaces.InvitationRenewal;
import dev.flowline.workspaces.InvitationRepository;
import dev.flowline.workspaces.InvitationStatus;
import dev.flowline.workspaces.Member;
import dev.flowline.workspaces.Membership;
import dev.flowline.workspaces.NewInvitation;
import dev.flowline.workspaces.OwnershipOffer;
import dev.flowline.workspaces.OwnershipOfferRepository;
import dev.flowline.workspaces.OwnershipOfferService;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.RunConsumption;
import dev.flowline.workspaces.RunUsage;
import dev.flowline.workspaces.RunUsageRepository;
import dev.flowline.workspaces.Workspace;
import dev.flowline.workspaces.WorkspaceErrors;
import dev.flowline.workspaces.WorkspaceRepository;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.annotation.Resource;
import jakarta.ejb.EJBException;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.sql.DataSource;
import javax.xml.parsers.DocumentBuilderFactory;

import static dev.flowline.testing.Fixtures.newEmail;
import static dev.flowline.testing.InMemoryRows.PG_UUID_ORDER;
import static dev.flowline.testing.Threads.concurrently;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Persistence tests of the workspaces area's repositories ({@link JpaWorkspaceRepository},
 * {@link JpaInvitationRepository}, {@link JpaRunUsageRepository}, {@link JpaOwnershipOfferRepository}, injected by
 * their interfaces) inside Payara Micro
 * on the real PostgreSQL: every method, every native statement, and the concurrency claims (no seat or run-quota
 * overshoot) with real threads, each repository call its own transaction. One class, so one deployment.
 */
@ExtendWith(ArquillianExtension.class)
class JpaWorkspaceRepositoryIT {

    // microsecond precision: what timestamptz keeps
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private static final Instant IN_A_WEEK = NOW.plus(Duration.ofDays(7));
    private static final int MANY_SEATS = 100;

    @Deployment
    static WebArchive deployment() {
        return Deployments.repositoriesOnPostgres();
    }

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    InvitationRepository invitations;

    @Inject
    RunUsageRepository runUsage;

    @Inject
    UserRepository users;

    @Inject
    OwnershipOfferRepository offers;

    @Inject
    OwnershipOfferService offerService;

    @Resource
    UserTransaction transaction;

    @Resource(lookup = FlowlineDataSource.JNDI_NAME)
    DataSource dataSource;

    private User newUser() {
        return Fixtures.newUser(users, NOW);
    }

    private Workspace newWorkspace(User owner) {
        return Fixtures.newWorkspace(workspaces, owner, NOW);
    }

    private static String tokenHash() {
        return OpaqueTokens.hash(OpaqueTokens.generate());
    }

    private static final Duration RESEND = Duration.ofMinutes(10);

    private Invitation invite(Workspace workspace, String email, WorkspaceRole role, String tokenHash, Instant now,
                              Instant expiresAt) {
        return invitations.tryCreateInvitation(new NewInvitation(workspace.id(), email, role, tokenHash, null, expiresAt),
                MANY_SEATS, now).orElseThrow();
    }

    /** Adds the user through an accepted invitation: the only way a non-owner joins. */
    private void join(Workspace workspace, User user, WorkspaceRole role, Instant at) {
        String hash = tokenHash();
        invite(workspace, user.email(), role, hash, at, at.plus(Duration.ofDays(1)));
        invitations.acceptInvitation(hash, user.id(), at).orElseThrow();
    }

    // --- workspaces ---

    @Test
    void createsAWorkspaceWithItsOwner() {
        User owner = newUser();
        Workspace workspace = workspaces.create("Acme", false, PlanTier.SOLO, owner.id(), NOW);
        assertThat(workspace.name()).isEqualTo("Acme");
        assertThat(workspace.personal()).isFalse();
        assertThat(workspace.planTier()).isEqualTo(PlanTier.SOLO);
        assertThat(workspace.createdAt()).isEqualTo(NOW);
        assertThat(workspace.updatedAt()).isEqualTo(NOW);
        assertThat(workspaces.findById(workspace.id()).orElseThrow()).isEqualTo(workspace);
        assertThat(workspaces.findById(UUID.randomUUID())).isEmpty();

        assertThat(workspaces.isMember(workspace.id(), owner.id())).isTrue();
        assertThat(workspaces.isMember(workspace.id(), newUser().id())).isFalse();
        assertThat(workspaces.findRole(workspace.id(), owner.id())).hasValue(WorkspaceRole.OWNER);
        assertThat(workspaces.findOwner(workspace.id())).hasValue(owner.id());
        assertThat(workspaces.countMembers(workspace.id())).isEqualTo(1);
        assertThat(workspaces.findMember(workspace.id(), owner.id()).orElseThrow())
                .isEqualTo(new Member(workspace.id(), owner.id(), owner.email(), owner.name(), WorkspaceRole.OWNER,
                        NOW));
        assertThat(workspaces.findOwner(UUID.randomUUID())).isEmpty();

        Workspace personal = workspaces.create("Personal", true, PlanTier.WORKSPACE, owner.id(), NOW);
        assertThat(workspaces.findById(personal.id()).orElseThrow().personal()).isTrue();
    }

    @Test
    void renamesOnlyAtTheExpectedVersion() {
        Workspace workspace = newWorkspace(newUser());
        Instant later = NOW.plusSeconds(10);
        assertThat(workspaces.rename(workspace.id(), "Stale", workspace.version() - 1, later)).isEmpty();
        Workspace renamed = workspaces.rename(workspace.id(), "Renamed", workspace.version(), later).orElseThrow();
        assertThat(renamed.name()).isEqualTo("Renamed");
        assertThat(renamed.version()).isEqualTo(workspace.version() + 1);
        assertThat(renamed.updatedAt()).isEqualTo(later);
        assertThat(renamed.createdAt()).isEqualTo(NOW);
        assertThat(workspaces.findById(workspace.id()).orElseThrow()).isEqualTo(renamed);
        assertThat(workspaces.rename(workspace.id(), "Again", workspace.version(), later)).as("stale now").isEmpty();

        Workspace unconditional = workspaces.rename(workspace.id(), "Any", null, later).orElseThrow();
        assertThat(unconditional.version()).isEqualTo(workspace.version() + 2);
        assertThat(workspaces.rename(UUID.randomUUID(), "Gone", null, later)).isEmpty();
    }

    @Test
    void concurrentCreatorsCountingOwnedTeamWorkspacesUnderTheLockStopAtTheLimit() throws Exception {
        User owner = newUser();
        workspaces.create("Personal", true, PlanTier.WORKSPACE, owner.id(), NOW);
        newWorkspace(owner);
        Workspace owned = newWorkspace(newUser());
        join(owned, owner, WorkspaceRole.ADMIN, NOW);
        assertThatThrownBy(() -> workspaces.lockOwnedTeamWorkspaces(owner.id()), "the lock needs the caller's transaction")
                .isInstanceOf(EJBException.class);

        // 8 at once, each as WorkspaceService.create does: lock and count, create below 3, commit
        List<Callable<Boolean>> creators = IntStream.range(0, 8).<Callable<Boolean>>mapToObj(i -> () -> {
            transaction.begin();
            try {
                boolean room = workspaces.lockOwnedTeamWorkspaces(owner.id()) < 3;
                if (room) {
                    newWorkspace(owner);
                }
                transaction.commit();
                return room;
            } catch (Exception e) {
                transaction.rollback();
                throw e;
            }
        }).toList();
        assertThat(concurrently(creators)).filteredOn(Boolean::booleanValue).hasSize(2);

        transaction.begin();
        try {
            assertThat(workspaces.lockOwnedTeamWorkspaces(owner.id()))
                    .as("team workspaces it owns: not the personal one, not the one it administers").isEqualTo(3);
        } finally {
            transaction.rollback();
        }
    }

    @Test
    void readsInOneTransactionSeeItsOwnBulkUpdates() throws Exception {
        User owner = newUser();
        User member = newUser();
        Workspace workspace = newWorkspace(owner);
        join(workspace, member, WorkspaceRole.MEMBER, NOW);
        transaction.begin();
        try {
            assertThat(workspaces.findById(workspace.id()).orElseThrow()).isEqualTo(workspace);
            assertThat(workspaces.findMember(workspace.id(), member.id()).orElseThrow().role())
                    .isEqualTo(WorkspaceRole.MEMBER);
            workspaces.rename(workspace.id(), "Inside", null, NOW).orElseThrow();
            assertThat(workspaces.changeRole(workspace.id(), member.id(), WorkspaceRole.VIEWER)).isTrue();
            assertThat(workspaces.findById(workspace.id()).orElseThrow().name()).isEqualTo("Inside");
            assertThat(workspaces.findMember(workspace.id(), member.id()).orElseThrow().role())
                    .isEqualTo(WorkspaceRole.VIEWER);
        } finally {
            transaction.rollback();
        }
        assertThat(workspaces.findById(workspace.id()).orElseThrow()).isEqualTo(workspace);
    }

    @Test
    void planChangesBumpTheVersion() {
        Workspace workspace = newWorkspace(newUser());
        assertThat(workspaces.getPlan(workspace.id())).hasValue(PlanTier.WORKSPACE);
        assertThat(workspaces.setPlan(workspace.id(), PlanTier.SOLO, NOW.plusSeconds(1))).isTrue();
        assertThat(workspaces.getPlan(workspace.id())).hasValue(PlanTier.SOLO);
        Workspace stored = workspaces.findById(workspace.id()).orElseThrow();
        assertThat(stored.version()).isEqualTo(workspace.version() + 1);
        assertThat(stored.updatedAt()).isEqualTo(NOW.plusSeconds(1));
        assertThat(workspaces.setPlan(UUID.randomUUID(), PlanTier.SOLO, NOW)).isFalse();
        assertThat(workspaces.getPlan(UUID.randomUUID())).isEmpty();
    }

    @Test
    void deletingAWorkspaceRemovesEverythingInIt() {
        User owner = newUser();
        User member = newUser();
        Workspace workspace = newWorkspace(owner);
        join(workspace, member, WorkspaceRole.MEMBER, NOW);
        Invitation invitation = invite(workspace, newEmail(), WorkspaceRole.VIEWER, tokenHash(), NOW, IN_A_WEEK);
        BillingPeriod period = new BillingPeriod(NOW, NOW.plus(Duration.ofDays(30)));
        runUsage.tryConsumeRun(workspace.id(), period, 10, false);
        runUsage.upsertBillingCycle(new BillingCycle(workspace.id(), "sub_" + UUID.randomUUID(), period), NOW);

        assertThat(workspaces.delete(workspace.id())).isTrue();
        assertThat(workspaces.findById(workspace.id())).isEmpty();
        assertThat(workspaces.countMembers(workspace.id())).isEqualTo(0);
        assertThat(workspaces.isMember(workspace.id(), member.id())).isFalse();
        assertThat(invitations.findInvitation(workspace.id(), invitation.id())).isEmpty();
        assertThat(runUsage.getRunUsage(workspace.id(), period)).isEqualTo(new RunUsage(period, 0, 0));
        assertThat(runUsage.getBillingCycle(workspace.id())).isEmpty();
        assertThat(workspaces.delete(workspace.id())).as("already gone").isFalse();
        assertThat(users.findById(owner.id())).as("the accounts stay").isPresent();
    }

    @Test
    void listsAUsersWorkspacesInCreationOrderByKeyset() {
        User user = newUser();
        User other = newUser();
        List<Membership> expected = new ArrayList<>();
        // two at the same instant (the id decides), one earlier, one later, one where the user is a member
        for (Instant at : List.of(NOW.plusSeconds(5), NOW, NOW.plusSeconds(5), NOW.plusSeconds(9))) {
            expected.add(new Membership(workspaces.create("W", false, PlanTier.WORKSPACE, user.id(), at),
                    WorkspaceRole.OWNER));
        }
        Workspace theirs = workspaces.create("Theirs", false, PlanTier.WORKSPACE, other.id(), NOW.plusSeconds(7));
        join(theirs, user, WorkspaceRole.VIEWER, NOW.plusSeconds(8));
        expected.add(new Membership(theirs, WorkspaceRole.VIEWER));
        workspaces.create("Not mine", false, PlanTier.WORKSPACE, other.id(), NOW.plusSeconds(6));
        expected.sort(Comparator.comparing((Membership m) -> m.workspace().createdAt())
                .thenComparing(m -> m.workspace().id(), PG_UUID_ORDER));

        List<Membership> first = workspaces.listForUser(user.id(), null, 2);
        assertThat(first).as("limit + 1 rows").isEqualTo(expected.subList(0, 3));
        Workspace lastOfPage = first.get(1).workspace();
        List<Membership> second = workspaces.listForUser(user.id(), new Keyset(lastOfPage.createdAt(), lastOfPage.id()), 2);
        assertThat(second).isEqualTo(expected.subList(2, 5));
        Workspace lastOfSecond = second.get(1).workspace();
        assertThat(workspaces.listForUser(user.id(), new Keyset(lastOfSecond.createdAt(), lastOfSecond.id()), 2))
                .isEqualTo(expected.subList(4, 5));
        assertThat(workspaces.listForUser(user.id(), null, 50)).isEqualTo(expected);
        assertThat(workspaces.listForUser(UUID.randomUUID(), null, 50)).isEmpty();
    }

    // --- members ---

    @Test
    void listsMembersWithTheirAccountsInJoinOrderByKeyset() {
        User owner = newUser();
        Workspace workspace = newWorkspace(owner);
        List<Member> expected = new ArrayList<>();
        expected.add(workspaces.findMember(workspace.id(), owner.id()).orElseThrow());
        for (Instant at : List.of(NOW.plusSeconds(10), NOW.plusSeconds(10), NOW.plusSeconds(20))) {
            User user = newUser();
            join(workspace, user, WorkspaceRole.MEMBER, at);
            expected.add(new Member(workspace.id(), user.id(), user.email(), user.name(), WorkspaceRole.MEMBER, at));
        }
        expected.sort(Comparator.comparing(Member::joinedAt).thenComparing(Member::userId, PG_UUID_ORDER));
        assertThat(workspaces.countMembers(workspace.id())).isEqualTo(4);
        assertThat(workspaces.findMember(workspace.id(), expected.get(2).userId()).orElseThrow())
                .isEqualTo(expected.get(2));
        assertThat(workspaces.findMember(workspace.id(), UUID.randomUUID())).isEmpty();

        List<Member> first = workspaces.listMembers(workspace.id(), null, 2);
        assertThat(first).isEqualTo(expected.subList(0, 3));
        Member last = first.get(1);
        assertThat(workspaces.listMembers(workspace.id(), new Keyset(last.joinedAt(), last.userId()), 2))
                .isEqualTo(expected.subList(2, 4));
        assertThat(workspaces.listMembers(workspace.id(), null, 4)).isEqualTo(expected);
    }

    @Test
    void rolesChangeAndMembersLeaveButTheOwnerStays() {
        User owner = newUser();
        User member = newUser();
        Workspace workspace = newWorkspace(owner);
        join(workspace, member, WorkspaceRole.MEMBER, NOW);

        assertThat(workspaces.changeRole(workspace.id(), member.id(), WorkspaceRole.ADMIN)).isTrue();
        assertThat(workspaces.findRole(workspace.id(), member.id())).hasValue(WorkspaceRole.ADMIN);
        assertThat(workspaces.changeRole(workspace.id(), owner.id(), WorkspaceRole.VIEWER)).as("the owner").isFalse();
        assertThat(workspaces.changeRole(workspace.id(), UUID.randomUUID(), WorkspaceRole.VIEWER))
                .as("not a member").isFalse();
        assertThatThrownBy(() -> workspaces.changeRole(workspace.id(), member.id(), WorkspaceRole.OWNER))
                .isInstanceOf(EJBException.class);
        assertThat(workspaces.findRole(workspace.id(), owner.id())).hasValue(WorkspaceRole.OWNER);

        assertThat(workspaces.removeMember(workspace.id(), owner.id())).as("the owner").isFalse();
        assertThat(workspaces.isMember(workspace.id(), owner.id())).isTrue();
        assertThat(workspaces.removeMember(workspace.id(), member.id())).isTrue();
        assertThat(workspaces.removeMember(workspace.id(), member.id())).as("already gone").isFalse();
        assertThat(workspaces.isMember(workspace.id(), member.id())).isFalse();
        assertThat(workspaces.findRole(workspace.id(), member.id())).isEmpty();
        assertThat(workspaces.countMembers(workspace.id())).isEqualTo(1);
    }

    @Test
    void ownershipMovesToAMemberAndTheOwnerBecomesAnAdmin() {
        User owner = newUser();
        User member = newUser();
        User outsider = newUser();
        Workspace workspace = newWorkspace(owner);
        join(workspace, member, WorkspaceRole.VIEWER, NOW);

        assertThat(workspaces.transferOwnership(workspace.id(), owner.id(), outsider.id()))
                .as("not a member").isFalse();
        assertThat(workspaces.transferOwnership(workspace.id(), member.id(), owner.id())).as("not the owner").isFalse();
        assertThat(workspaces.transferOwnership(UUID.randomUUID(), owner.id(), member.id()))
                .as("no workspace").isFalse();
        assertThat(workspaces.findOwner(workspace.id())).hasValue(owner.id());
        assertThat(workspaces.findRole(workspace.id(), member.id())).hasValue(WorkspaceRole.VIEWER);

        assertThat(workspaces.transferOwnership(workspace.id(), owner.id(), member.id())).isTrue();
        assertThat(workspaces.findOwner(workspace.id())).hasValue(member.id());
        assertThat(workspaces.findRole(workspace.id(), owner.id())).hasValue(WorkspaceRole.ADMIN);
        assertThat(workspaces.findRole(workspace.id(), member.id())).hasValue(WorkspaceRole.OWNER);
        assertThat(workspaces.transferOwnership(workspace.id(), owner.id(), member.id()))
                .as("no longer the owner").isFalse();
        assertThat(workspaces.transferOwnership(workspace.id(), member.id(), member.id()))
                .as("already the owner").isTrue();
        assertThat(workspaces.transferOwnership(workspace.id(), owner.id(), owner.id())).isFalse();
        assertThat(workspaces.findOwner(workspace.id())).hasValue(member.id());
    }

    @Test
    void concurrentTransfersLeaveExactlyOneOwner() throws Exception {
        User owner = newUser();
        Workspace workspace = newWorkspace(owner);
        List<Callable<Boolean>> transfers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            User member = newUser();
            join(workspace, member, WorkspaceRole.MEMBER, NOW);
            transfers.add(() -> workspaces.transferOwnership(workspace.id(), owner.id(), member.id()));
        }
        assertThat(concurrently(transfers)).filteredOn(Boolean::booleanValue).hasSize(1);
        UUID newOwner = workspaces.findOwner(workspace.id()).orElseThrow();
        assertThat(workspaces.listMembers(workspace.id(), null, 50))
                .filteredOn(m -> m.role() == WorkspaceRole.OWNER).hasSize(1);
        assertThat(newOwner).isNotEqualTo(owner.id());
        assertThat(workspaces.findRole(workspace.id(), owner.id())).hasValue(WorkspaceRole.ADMIN);
    }

    // --- ownership offers ---

    private <T> T inTransaction(Callable<T> work) throws Exception {
        transaction.begin();
        try {
            T result = work.call();
            transaction.commit();
            return result;
        } catch (Exception e) {
            transaction.rollback();
            throw e;
        }
    }

    @Test
    void anOwnershipOfferIsMadeOnlyByTheOwnerToAMemberReplacedTakenOnceAndWithdrawn() throws Exception {
        User owner = newUser();
        User first = newUser();
        User second = newUser();
        User outsider = newUser();
        Workspace workspace = newWorkspace(owner);
        join(workspace, first, WorkspaceRole.ADMIN, NOW);
        join(workspace, second, WorkspaceRole.VIEWER, NOW);
        UUID id = workspace.id();
        assertThatThrownBy(() -> offers.offer(id, owner.id(), first.id(), NOW, IN_A_WEEK),
                "the member locks need the caller's transaction").isInstanceOf(EJBException.class);

        assertThat(inTransaction(() -> offers.offer(id, owner.id(), outsider.id(), NOW, IN_A_WEEK))).as("not a member").isEmpty();
        assertThat(inTransaction(() -> offers.offer(id, first.id(), second.id(), NOW, IN_A_WEEK))).as("not the owner").isEmpty();
        assertThat(inTransaction(() -> offers.offer(id, owner.id(), owner.id(), NOW, IN_A_WEEK))).as("to oneself").isEmpty();
        assertThat(offers.find(id)).isEmpty();

        OwnershipOffer offer = inTransaction(() -> offers.offer(id, owner.id(), first.id(), NOW, IN_A_WEEK)).orElseThrow();
        assertThat(offer).isEqualTo(new OwnershipOffer(id, workspace.name(), owner.id(), first.id(), NOW, IN_A_WEEK));
        assertThat(offers.find(id)).hasValue(offer);
        assertThat(offers.listOpenFor(first.id(), NOW, null, 10)).containsExactly(offer);
        assertThat(offers.listOpenFor(first.id(), IN_A_WEEK, null, 10)).as("expired then").isEmpty();
        assertThat(workspaces.findOwner(id)).as("an offer moves nothing").hasValue(owner.id());

        Instant later = NOW.plusSeconds(60);
        OwnershipOffer replaced = inTransaction(() -> offers.offer(id, owner.id(), second.id(), later, IN_A_WEEK)).orElseThrow();
        assertThat(replaced.offeredTo()).isEqualTo(second.id());
        assertThat(offers.listOpenFor(first.id(), NOW, null, 10)).isEmpty();
        assertThat(offers.take(id, owner.id(), first.id(), later)).as("replaced").isFalse();
        assertThat(offers.take(id, owner.id(), second.id(), IN_A_WEEK)).as("expired").isFalse();
        assertThat(offers.take(id, owner.id(), second.id(), later)).isTrue();
        assertThat(offers.take(id, owner.id(), second.id(), later)).as("once").isFalse();
        assertThat(offers.find(id)).isEmpty();

        inTransaction(() -> offers.offer(id, owner.id(), first.id(), NOW, IN_A_WEEK)).orElseThrow();
        assertThat(offers.withdraw(id, first.id())).as("not its maker").isFalse();
        assertThat(offers.withdraw(id, owner.id())).isTrue();
        assertThat(offers.withdraw(id, owner.id())).isFalse();

        // an offer goes with its offeree's membership
        inTransaction(() -> offers.offer(id, owner.id(), second.id(), NOW, IN_A_WEEK)).orElseThrow();
        assertThat(workspaces.removeMember(id, second.id())).isTrue();
        assertThat(offers.find(id)).isEmpty();
    }

    @Test
    void offersToAUserArePagedByKeyset() throws Exception {
        User offeree = newUser();
        List<OwnershipOffer> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            User owner = newUser();
            Workspace workspace = newWorkspace(owner);
            join(workspace, offeree, WorkspaceRole.MEMBER, NOW);
            Instant at = NOW.plusSeconds(i);
            made.add(inTransaction(() -> offers.offer(workspace.id(), owner.id(), offeree.id(), at, IN_A_WEEK)).orElseThrow());
        }
        List<OwnershipOffer> page = offers.listOpenFor(offeree.id(), NOW, null, 2);
        assertThat(page).containsExactly(made.get(0), made.get(1), made.get(2));
        OwnershipOffer last = made.get(1);
        assertThat(offers.listOpenFor(offeree.id(), NOW, new Keyset(last.createdAt(), last.workspaceId()), 2))
                .containsExactly(made.get(2));
    }

    @Test
    void acceptingAndWithdrawingAtOnceExactlyOneWins() throws Exception {
        for (int round = 0; round < 8; round++) {
            User owner = newUser();
            User offeree = newUser();
            Workspace workspace = newWorkspace(owner);
            join(workspace, offeree, WorkspaceRole.ADMIN, NOW);
            offerService.offer(workspace.id(), owner.id(), offeree.id());
            List<String> outcomes = concurrently(List.<Callable<String>>of(
                    () -> outcome("accepted", () -> offerService.accept(workspace.id(), offeree.id())),
                    () -> outcome("withdrawn", () -> offerService.withdraw(workspace.id(), owner.id()))));
            // the loser finds no offer, or (a withdrawal after the acceptance) that its caller no longer owns it
            assertThat(outcomes).as("round " + round).containsAnyOf("accepted", "withdrawn")
                    .filteredOn(o -> o.equals("accepted") || o.equals("withdrawn")).hasSize(1);
            UUID expectedOwner = outcomes.contains("accepted") ? offeree.id() : owner.id();
            assertThat(workspaces.findOwner(workspace.id())).hasValue(expectedOwner);
            assertThat(workspaces.listMembers(workspace.id(), null, 10)).filteredOn(m -> m.role() == WorkspaceRole.OWNER)
                    .hasSize(1);
            assertThat(offers.find(workspace.id())).isEmpty();
        }
    }

    /**
     * The data step of migration 0030 (run again here on rows arranged as before it): a personal workspace keeps only
     * its owner; its pending invitations are revoked; the guests' shares there go, and their tokens' is_shared flags
     * follow. Team workspaces are untouched.
     */
    @Test
    void migration0030LeavesEachPersonalWorkspaceToItsOwner() throws Exception {
        User owner = newUser();
        User guest = newUser();
        Workspace personal = workspaces.create("Personal", true, PlanTier.WORKSPACE, owner.id(), NOW);
        Workspace team = newWorkspace(owner);
        join(team, guest, WorkspaceRole.MEMBER, NOW);
        Sql.update("INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) VALUES (?, ?, 'MEMBER', now())",
                personal.id(), guest.id());
        Invitation personalInvitation = pendingInvitation(personal.id());
        Invitation teamInvitation = pendingInvitation(team.id());
        UUID sharedTwice = token(guest);
        UUID sharedInPersonalOnly = token(guest);
        UUID ownersOwn = token(owner);
        UUID twiceInPersonal = share(personal, guest, sharedTwice);
        UUID twiceInTeam = share(team, guest, sharedTwice);
        UUID onlyInPersonal = share(personal, guest, sharedInPersonalOnly);
        UUID ownersShare = share(personal, owner, ownersOwn);

        transaction.begin();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(changeSetSql("0030-ownership-offers.xml", "0030-personal-workspaces-alone"));
            transaction.commit();
        } catch (Exception e) {
            transaction.rollback();
            throw e;
        }

        assertThat(workspaces.listMembers(personal.id(), null, 10)).extracting(Member::userId).containsExactly(owner.id());
        assertThat(workspaces.findRole(team.id(), guest.id())).hasValue(WorkspaceRole.MEMBER);
        assertThat(invitations.findInvitation(personal.id(), personalInvitation.id()).orElseThrow().status())
                .isEqualTo(InvitationStatus.REVOKED);
        assertThat(invitations.findInvitation(team.id(), teamInvitation.id()).orElseThrow().status())
                .isEqualTo(InvitationStatus.PENDING);
        assertThat(Sql.column("SELECT id::text FROM workspace_connections WHERE id IN (?, ?, ?, ?) ORDER BY id",
                twiceInPersonal, twiceInTeam, onlyInPersonal, ownersShare))
                .containsExactlyInAnyOrder(twiceInTeam.toString(), ownersShare.toString());
        assertThat(Sql.column("SELECT is_shared::text FROM user_oauth_tokens WHERE id = ?", sharedTwice)).containsExactly("true");
        assertThat(Sql.column("SELECT is_shared::text FROM user_oauth_tokens WHERE id = ?", sharedInPersonalOnly))
                .containsExactly("false");
        assertThat(Sql.column("SELECT is_shared::text FROM user_oauth_tokens WHERE id = ?", ownersOwn)).containsExactly("true");
    }

    private Invitation pendingInvitation(UUID workspaceId) throws Exception {
        UUID id = UUID.randomUUID();
        Sql.update("""
                INSERT INTO workspace_invitations (id, workspace_id, email, role, token_hash, created_at, expires_at)
                VALUES (?, ?, ?, 'VIEWER', ?, now(), now() + interval '1 day')""", id, workspaceId, newEmail(), tokenHash());
        return invitations.findInvitation(workspaceId, id).orElseThrow();
    }

    /** A personal OAuth token row of {@code owner} (what connections stores; the value is never read here). */
    private static UUID token(User owner) throws Exception {
        UUID id = UUID.randomUUID();
        Sql.update("""
                INSERT INTO user_oauth_tokens (id, owner_user_id, provider, account_email, access_token_enc, is_shared,
                                               created_at, updated_at)
                VALUES (?, ?, 'example', ?, 'not-a-token', true, now(), now())""", id, owner.id(), newEmail());
        return id;
    }

    private static UUID share(Workspace workspace, User sharer, UUID tokenId) throws Exception {
        UUID id = UUID.randomUUID();
        Sql.update("""
                INSERT INTO workspace_connections (id, workspace_id, owner_user_id, user_oauth_token_id, provider, name, created_at)
                VALUES (?, ?, ?, ?, 'example', 'Example', now())""", id, workspace.id(), sharer.id(), tokenId);
        return id;
    }

    /** The SQL of one changeset of a changelog, as the WAR packages it (Liquibase runs it in one transaction too). */
    private static String changeSetSql(String changelog, String changeSetId) throws Exception {
        try (InputStream in = JpaWorkspaceRepositoryIT.class.getClassLoader().getResourceAsStream("liquibase/" + changelog)) {
            Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            NodeList changeSets = document.getElementsByTagName("changeSet");
            for (int i = 0; i < changeSets.getLength(); i++) {
                Element changeSet = (Element) changeSets.item(i);
                if (changeSetId.equals(changeSet.getAttribute("id"))) {
                    return changeSet.getElementsByTagName("sql").item(0).getTextContent();
                }
            }
        }
        throw new AssertionError("No changeset " + changeSetId + " in " + changelog);
    }

    private static String outcome(String success, Runnable action) {
        try {
            action.run();
            return success;
        } catch (WorkspaceErrors.NoOwnershipOfferException | WorkspaceErrors.OwnerOnlyException e) {
            return e.type();
        }
    }

    // --- invitations ---

    @Test
    void storesAnInvitationAndFindsItByIdAndTokenHash() {
        User owner = newUser();
        Workspace workspace = newWorkspace(owner);
        String email = newEmail();
        String hash = tokenHash();
        Invitation invitation = invitations.tryCreateInvitation(
                new NewInvitation(workspace.id(), email, WorkspaceRole.ADMIN, hash, owner.id(), IN_A_WEEK),
                MANY_SEATS, NOW).orElseThrow();
        assertThat(invitation).isEqualTo(new Invitation(invitation.id(), workspace.id(), workspace.name(), email,
                WorkspaceRole.ADMIN, InvitationStatus.PENDING, owner.id(), NOW, IN_A_WEEK, null));
        assertThat(invitations.findInvitation(workspace.id(), invitation.id()).orElseThrow()).isEqualTo(invitation);
        assertThat(invitations.findInvitationByTokenHash(hash).orElseThrow()).isEqualTo(invitation);
        assertThat(invitations.findInvitation(newWorkspace(owner).id(), invitation.id()))
                .as("other workspace").isEmpty();
        assertThat(invitations.findInvitationByTokenHash(tokenHash())).isEmpty();
        assertThat(invitations.tryCreateInvitation(new NewInvitation(UUID.randomUUID(), email, WorkspaceRole.ADMIN,
                tokenHash(), null, IN_A_WEEK), MANY_SEATS, NOW)).as("no workspace").isEmpty();
    }

    @Test
    void pendingUnexpiredInvitationsHoldSeats() {
        User owner = newUser();
        Workspace workspace = newWorkspace(owner);
        Instant soon = NOW.plusSeconds(60);
        invite(workspace, newEmail(), WorkspaceRole.MEMBER, tokenHash(), NOW, soon);
        Invitation revoked = invite(workspace, newEmail(), WorkspaceRole.MEMBER, tokenHash(), NOW, IN_A_WEEK);
        assertThat(invitations.revokeInvitation(workspace.id(), revoked.id(), NOW)).isTrue();

        assertThat(invitations.countPendingInvitations(workspace.id(), NOW)).isEqualTo(1);
        assertThat(invitations.countSeats(workspace.id(), NOW)).isEqualTo(2);
        assertThat(invitations.countPendingInvitations(workspace.id(), soon)).as("expired").isEqualTo(0);
        assertThat(invitations.countSeats(workspace.id(), soon)).isEqualTo(1);

        // seat limit 3: owner + the pending one + one more
        NewInvitation third = new NewInvitation(workspace.id(), newEmail(), WorkspaceRole.MEMBER, tokenHash(), null, IN_A_WEEK);
        assertThat(invitations.tryCreateInvitation(third, 3, NOW)).isPresent();
        NewInvitation fourth = new NewInvitation(workspace.id(), newEmail(), WorkspaceRole.MEMBER, tokenHash(), null, IN_A_WEEK);
        assertThat(invitations.tryCreateInvitation(fourth, 3, NOW)).as("seats full").isEmpty();
        assertThat(invitations.tryCreateInvitation(fourth, 3, soon)).as("the expired one freed its seat").isPresent();
        assertThat(invitations.countSeats(workspace.id(), soon)).isEqualTo(3);
    }

    @Test
    void anExpiredInvitationForTheSameAddressIsRevokedByANewOne() {
        Workspace workspace = newWorkspace(newUser());
        String email = newEmail();
        Instant expiry = NOW.plusSeconds(60);
        Invitation old = invite(workspace, email, WorkspaceRole.MEMBER, tokenHash(), NOW, expiry);
        Invitation renewed = invite(workspace, email.toUpperCase(), WorkspaceRole.ADMIN, tokenHash(), expiry, IN_A_WEEK);

        Invitation revoked = invitations.findInvitation(workspace.id(), old.id()).orElseThrow();
        assertThat(revoked.status()).isEqualTo(InvitationStatus.REVOKED);
        assertThat(revoked.respondedAt()).isEqualTo(expiry);
        assertThat(invitations.findInvitation(workspace.id(), renewed.id()).orElseThrow().status())
                .isEqualTo(InvitationStatus.PENDING);

        // while one is pending and unexpired, a second is refused under the lock (a 409, not the unique index's error)
        assertThatThrownBy(() -> invite(workspace, email, WorkspaceRole.MEMBER, tokenHash(), NOW, IN_A_WEEK))
                .isInstanceOf(WorkspaceErrors.InvitationPendingException.class);
    }

    @Test
    void listsPendingInvitationsByKeysetAndByAddress() {
        User owner = newUser();
        Workspace workspace = newWorkspace(owner);
        Workspace other = newWorkspace(owner);
        String email = newEmail();
        List<Invitation> expected = new ArrayList<>();
        for (Instant at : List.of(NOW.plusSeconds(3), NOW.plusSeconds(1), NOW.plusSeconds(3))) {
            expected.add(invite(workspace, at.equals(NOW.plusSeconds(1)) ? email : newEmail(), WorkspaceRole.MEMBER,
                    tokenHash(), at, IN_A_WEEK));
        }
        invite(workspace, newEmail(), WorkspaceRole.MEMBER, tokenHash(), NOW, NOW.plusSeconds(5)); // expires
        Invitation answered = invite(workspace, newEmail(), WorkspaceRole.MEMBER, tokenHash(), NOW, IN_A_WEEK);
        invitations.revokeInvitation(workspace.id(), answered.id(), NOW);
        Invitation elsewhere = invite(other, email.toUpperCase(), WorkspaceRole.VIEWER, tokenHash(), NOW.plusSeconds(2), IN_A_WEEK);
        expected.sort(Comparator.comparing(Invitation::createdAt).thenComparing(Invitation::id, PG_UUID_ORDER));

        Instant at = NOW.plusSeconds(10);
        List<Invitation> first = invitations.listPendingInvitations(workspace.id(), at, null, 1);
        assertThat(first).isEqualTo(expected.subList(0, 2));
        Invitation last = first.get(0);
        assertThat(invitations.listPendingInvitations(workspace.id(), at, new Keyset(last.createdAt(), last.id()), 1))
                .isEqualTo(expected.subList(1, 3));
        assertThat(invitations.listPendingInvitations(workspace.id(), at, null, 10)).isEqualTo(expected);

        assertThat(invitations.listPendingInvitationsFor(email.toUpperCase(), at))
                .containsExactly(expected.get(0), elsewhere);
        assertThat(invitations.listPendingInvitationsFor(email, IN_A_WEEK)).as("expired").isEmpty();

        List<Invitation> mine = invitations.listPendingInvitationsFor(email.toUpperCase(), at, null, 1);
        assertThat(mine).as("limit + 1 rows").containsExactly(expected.get(0), elsewhere);
        assertThat(invitations.listPendingInvitationsFor(email, at, new Keyset(mine.get(0).createdAt(), mine.get(0).id()), 1))
                .containsExactly(elsewhere);
        assertThat(invitations.listPendingInvitationsFor(email, at, new Keyset(elsewhere.createdAt(), elsewhere.id()), 1))
                .isEmpty();
        assertThat(invitations.listPendingInvitationsFor(email, IN_A_WEEK, null, 10)).as("expired").isEmpty();
    }

    @Test
    void anInvitationIsResentAtMostOncePerIntervalEvenByConcurrentResends() throws Exception {
        Workspace workspace = newWorkspace(newUser());
        Invitation pending = invite(workspace, newEmail(), WorkspaceRole.VIEWER, tokenHash(), NOW, IN_A_WEEK);
        Instant first = NOW.plusSeconds(1);
        List<Callable<InvitationRenewal>> resends = IntStream.range(0, 6).<Callable<InvitationRenewal>>mapToObj(i ->
                () -> invitations.renewInvitation(workspace.id(), pending.id(), tokenHash(), IN_A_WEEK, first, RESEND))
                .toList();
        List<InvitationRenewal> outcomes = concurrently(resends);
        assertThat(outcomes).filteredOn(r -> r.renewed() != null).as("the first resend may come at once").hasSize(1);
        assertThat(outcomes).filteredOn(r -> r.renewed() == null).extracting(InvitationRenewal::pacedUntil)
                .containsOnly(first.plus(RESEND)).hasSize(5);

        Instant early = first.plus(RESEND).minusSeconds(1);
        assertThat(invitations.renewInvitation(workspace.id(), pending.id(), tokenHash(), IN_A_WEEK, early, RESEND))
                .isEqualTo(InvitationRenewal.pacedUntil(first.plus(RESEND)));
        assertThat(invitations.renewInvitation(workspace.id(), pending.id(), tokenHash(), IN_A_WEEK, first.plus(RESEND),
                RESEND).renewed()).as("once the interval has passed").isNotNull();
    }

    @Test
    void aWorkspaceSendsAtMostItsLimitOfInvitationMailsPerWindowEvenConcurrently() throws Exception {
        Workspace workspace = newWorkspace(newUser());
        Duration window = Duration.ofHours(1);
        assertThat(invitations.invitationMailWindowEnd(workspace.id(), window)).as("never sent").isEmpty();
        List<Callable<Boolean>> takers = IntStream.range(0, 10).<Callable<Boolean>>mapToObj(i ->
                () -> invitations.takeInvitationMail(workspace.id(), NOW, window, 3)).toList();
        assertThat(concurrently(takers)).filteredOn(Boolean::booleanValue).hasSize(3);
        assertThat(invitations.takeInvitationMail(workspace.id(), NOW.plus(window).minusSeconds(1), window, 3)).isFalse();
        assertThat(invitations.invitationMailWindowEnd(workspace.id(), window)).hasValue(NOW.plus(window));

        Instant next = NOW.plus(window);
        assertThat(invitations.takeInvitationMail(workspace.id(), next, window, 3)).as("a new window").isTrue();
        assertThat(invitations.invitationMailWindowEnd(workspace.id(), window)).hasValue(next.plus(window));
        assertThat(invitations.takeInvitationMail(workspace.id(), next, window, 3)).isTrue();
        assertThat(invitations.takeInvitationMail(workspace.id(), next, window, 3)).isTrue();
        assertThat(invitations.takeInvitationMail(workspace.id(), next, window, 3)).isFalse();
        assertThat(invitations.takeInvitationMail(newWorkspace(newUser()).id(), next, window, 3))
                .as("each workspace has its own").isTrue();
        assertThat(invitations.takeInvitationMail(newWorkspace(newUser()).id(), next, window, 0)).isFalse();
    }

    @Test
    void acceptingAddsTheMemberOnce() {
        User owner = newUser();
        User invitee = newUser();
        Workspace workspace = newWorkspace(owner);
        String hash = tokenHash();
        Invitation invitation = invite(workspace, invitee.email(), WorkspaceRole.ADMIN, hash, NOW, IN_A_WEEK);
        Instant at = NOW.plusSeconds(30);

        Invitation accepted = invitations.acceptInvitation(hash, invitee.id(), at).orElseThrow();
        assertThat(accepted).isEqualTo(new Invitation(invitation.id(), workspace.id(), workspace.name(),
                invitation.email(), WorkspaceRole.ADMIN, InvitationStatus.ACCEPTED, null, NOW, IN_A_WEEK, at));
        assertThat(invitations.findInvitation(workspace.id(), invitation.id()).orElseThrow()).isEqualTo(accepted);
        assertThat(workspaces.findMember(workspace.id(), invitee.id()).orElseThrow())
                .isEqualTo(new Member(workspace.id(), invitee.id(), invitee.email(), invitee.name(),
                        WorkspaceRole.ADMIN, at));
        assertThat(invitations.acceptInvitation(hash, invitee.id(), at)).as("once").isEmpty();
        assertThat(invitations.countSeats(workspace.id(), at)).isEqualTo(2);

        // an expired invitation is not accepted; a member accepting keeps their role
        String expiring = tokenHash();
        invite(workspace, newEmail(), WorkspaceRole.VIEWER, expiring, NOW, NOW.plusSeconds(60));
        assertThat(invitations.acceptInvitation(expiring, newUser().id(), NOW.plusSeconds(60))).isEmpty();
        String again = tokenHash();
        invite(workspace, newEmail(), WorkspaceRole.VIEWER, again, NOW, IN_A_WEEK);
        assertThat(invitations.acceptInvitation(again, invitee.id(), at)).isPresent();
        assertThat(workspaces.findRole(workspace.id(), invitee.id())).hasValue(WorkspaceRole.ADMIN);
        assertThat(invitations.acceptInvitation(tokenHash(), invitee.id(), at)).as("unknown token").isEmpty();
    }

    @Test
    void concurrentAcceptsOfOneInvitationAddOneMember() throws Exception {
        Workspace workspace = newWorkspace(newUser());
        User invitee = newUser();
        String hash = tokenHash();
        invite(workspace, invitee.email(), WorkspaceRole.MEMBER, hash, NOW, IN_A_WEEK);
        List<Callable<Boolean>> accepts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            accepts.add(() -> invitations.acceptInvitation(hash, invitee.id(), NOW).isPresent());
        }
        assertThat(concurrently(accepts)).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(workspaces.countMembers(workspace.id())).isEqualTo(2);
    }

    @Test
    void declineRevokeAndRenewAnswerOnlyPendingInvitations() {
        Workspace workspace = newWorkspace(newUser());
        String declineHash = tokenHash();
        Invitation declined = invite(workspace, newEmail(), WorkspaceRole.MEMBER, declineHash, NOW, IN_A_WEEK);
        Instant at = NOW.plusSeconds(5);
        assertThat(invitations.declineInvitation(declineHash, at)).isTrue();
        assertThat(invitations.declineInvitation(declineHash, at)).as("already declined").isFalse();
        Invitation stored = invitations.findInvitation(workspace.id(), declined.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(InvitationStatus.DECLINED);
        assertThat(stored.respondedAt()).isEqualTo(at);
        assertThat(invitations.revokeInvitation(workspace.id(), declined.id(), at)).as("answered").isFalse();
        assertThat(invitations.renewInvitation(workspace.id(), declined.id(), tokenHash(), IN_A_WEEK, at, RESEND))
                .isEqualTo(InvitationRenewal.notPending());

        String expiringHash = tokenHash();
        invite(workspace, newEmail(), WorkspaceRole.MEMBER, expiringHash, NOW, NOW.plusSeconds(60));
        assertThat(invitations.declineInvitation(expiringHash, NOW.plusSeconds(60))).as("expired").isFalse();

        String oldHash = tokenHash();
        Invitation pending = invite(workspace, newEmail(), WorkspaceRole.VIEWER, oldHash, NOW, NOW.plusSeconds(60));
        String newHash = tokenHash();
        Instant newExpiry = IN_A_WEEK.plusSeconds(1);
        Invitation renewed = invitations.renewInvitation(workspace.id(), pending.id(), newHash, newExpiry, at, RESEND)
                .renewed();
        assertThat(renewed.expiresAt()).isEqualTo(newExpiry);
        assertThat(renewed.createdAt()).isEqualTo(pending.createdAt());
        assertThat(renewed.status()).isEqualTo(InvitationStatus.PENDING);
        assertThat(invitations.findInvitationByTokenHash(oldHash)).as("the old link stops working").isEmpty();
        assertThat(invitations.findInvitationByTokenHash(newHash).orElseThrow()).isEqualTo(renewed);
        assertThat(invitations.renewInvitation(newWorkspace(newUser()).id(), pending.id(), tokenHash(), newExpiry, at,
                RESEND)).isEqualTo(InvitationRenewal.notPending());

        assertThat(invitations.revokeInvitation(UUID.randomUUID(), pending.id(), at)).as("other workspace").isFalse();
        assertThat(invitations.revokeInvitation(workspace.id(), pending.id(), at)).isTrue();
        assertThat(invitations.revokeInvitation(workspace.id(), pending.id(), at)).as("already revoked").isFalse();
        Invitation revoked = invitations.findInvitation(workspace.id(), pending.id()).orElseThrow();
        assertThat(revoked.status()).isEqualTo(InvitationStatus.REVOKED);
        assertThat(revoked.respondedAt()).isEqualTo(at);
        assertThat(invitations.acceptInvitation(newHash, newUser().id(), at)).as("revoked").isEmpty();
    }

    @Test
    void concurrentInvitationsCannotTakeMoreThanTheLastSeat() throws Exception {
        Workspace workspace = newWorkspace(newUser());
        invite(workspace, newEmail(), WorkspaceRole.MEMBER, tokenHash(), NOW, IN_A_WEEK);
        int seatLimit = invitations.countSeats(workspace.id(), NOW) + 1;
        List<Callable<Boolean>> invites = IntStream.range(0, 10)
                .<Callable<Boolean>>mapToObj(i -> () -> invitations.tryCreateInvitation(new NewInvitation(workspace.id(),
                        newEmail(), WorkspaceRole.MEMBER, tokenHash(), null, IN_A_WEEK), seatLimit, NOW).isPresent())
                .toList();
        assertThat(concurrently(invites)).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(invitations.countPendingInvitations(workspace.id(), NOW)).isEqualTo(2);
        assertThat(invitations.countSeats(workspace.id(), NOW)).isEqualTo(seatLimit);
    }

    // --- run usage ---

    @Test
    void runsAreTakenWithinTheAllocationThenAsOverageAndReleased() {
        Workspace workspace = newWorkspace(newUser());
        BillingPeriod period = new BillingPeriod(NOW, NOW.plus(Duration.ofDays(30)));
        UUID id = workspace.id();
        assertThat(runUsage.getRunUsage(id, period)).isEqualTo(new RunUsage(period, 0, 0));
        assertThat(runUsage.tryConsumeRun(id, period, 2, false)).isEqualTo(RunConsumption.WITHIN_ALLOCATION);
        assertThat(runUsage.tryConsumeRun(id, period, 2, true)).isEqualTo(RunConsumption.WITHIN_ALLOCATION);
        assertThat(runUsage.tryConsumeRun(id, period, 2, false)).isEqualTo(RunConsumption.REFUSED);
        assertThat(runUsage.tryConsumeRun(id, period, 2, true)).isEqualTo(RunConsumption.OVERAGE);
        assertThat(runUsage.getRunUsage(id, period)).isEqualTo(new RunUsage(period, 2, 1));

        runUsage.releaseRun(id, period.start(), RunConsumption.OVERAGE);
        runUsage.releaseRun(id, period.start(), RunConsumption.OVERAGE);
        runUsage.releaseRun(id, period.start(), RunConsumption.REFUSED);
        assertThat(runUsage.getRunUsage(id, period)).as("never below zero").isEqualTo(new RunUsage(period, 2, 0));
        runUsage.releaseRun(id, period.start(), RunConsumption.WITHIN_ALLOCATION);
        assertThat(runUsage.getRunUsage(id, period)).isEqualTo(new RunUsage(period, 1, 0));
        assertThat(runUsage.tryConsumeRun(id, period, 2, false))
                .as("given back").isEqualTo(RunConsumption.WITHIN_ALLOCATION);
        assertThat(runUsage.tryConsumeRun(id, period, 2, false)).isEqualTo(RunConsumption.REFUSED);

        BillingPeriod next = new BillingPeriod(period.end(), period.end().plus(Duration.ofDays(30)));
        assertThat(runUsage.tryConsumeRun(id, next, 2, false))
                .as("a new period").isEqualTo(RunConsumption.WITHIN_ALLOCATION);
        assertThat(runUsage.getRunUsage(id, next)).isEqualTo(new RunUsage(next, 1, 0));
        assertThat(runUsage.tryConsumeRun(id, period, 0, true))
                .as("no allocation at all").isEqualTo(RunConsumption.OVERAGE);
        runUsage.releaseRun(UUID.randomUUID(), period.start(), RunConsumption.WITHIN_ALLOCATION); // nothing there
    }

    @Test
    void concurrentRunsNeverOvershootTheAllocation() throws Exception {
        Map<RunConsumption, Long> outcomes = consumeConcurrently(200, 50, false);
        assertThat(outcomes).isEqualTo(Map.of(RunConsumption.WITHIN_ALLOCATION, 50L, RunConsumption.REFUSED, 150L));
    }

    @Test
    void concurrentRunsBeyondTheAllocationAreAllCountedAsOverage() throws Exception {
        Map<RunConsumption, Long> outcomes = consumeConcurrently(200, 50, true);
        assertThat(outcomes).isEqualTo(Map.of(RunConsumption.WITHIN_ALLOCATION, 50L, RunConsumption.OVERAGE, 150L));
    }

    private Map<RunConsumption, Long> consumeConcurrently(int runs, int allocation, boolean overage) throws Exception {
        Workspace workspace = newWorkspace(newUser());
        BillingPeriod period = BillingPeriod.calendarMonthOf(NOW);
        List<Callable<RunConsumption>> consumers = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            consumers.add(() -> runUsage.tryConsumeRun(workspace.id(), period, allocation, overage));
        }
        Map<RunConsumption, Long> outcomes = concurrently(consumers).stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        RunUsage usage = runUsage.getRunUsage(workspace.id(), period);
        assertThat(usage.used()).isEqualTo(allocation);
        assertThat(usage.overage()).isEqualTo(overage ? runs - allocation : 0);
        return outcomes;
    }

    @Test
    void concurrentReleasesAndConsumesKeepTheCountsExact() throws Exception {
        Workspace workspace = newWorkspace(newUser());
        BillingPeriod period = BillingPeriod.calendarMonthOf(NOW);
        for (int i = 0; i < 10; i++) {
            assertThat(runUsage.tryConsumeRun(workspace.id(), period, 10, true))
                    .isEqualTo(RunConsumption.WITHIN_ALLOCATION);
        }
        // 20 releases and 20 consumes race: every release frees a unit that some consume may take back
        List<Callable<RunConsumption>> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tasks.add(() -> runUsage.tryConsumeRun(workspace.id(), period, 10, true));
            tasks.add(() -> {
                runUsage.releaseRun(workspace.id(), period.start(), RunConsumption.WITHIN_ALLOCATION);
                return null;
            });
        }
        List<RunConsumption> outcomes = concurrently(tasks);
        long within = outcomes.stream().filter(RunConsumption.WITHIN_ALLOCATION::equals).count();
        long over = outcomes.stream().filter(RunConsumption.OVERAGE::equals).count();
        assertThat(within + over).isEqualTo(20);
        RunUsage usage = runUsage.getRunUsage(workspace.id(), period);
        assertThat(usage.overage()).isEqualTo(over);
        assertThat(usage.used()).as("used " + usage.used()).isBetween(0, 10);
    }

    // --- billing ---

    @Test
    void theBillingCycleIsUpsertedReadAndCleared() {
        Workspace workspace = newWorkspace(newUser());
        assertThat(runUsage.getBillingCycle(workspace.id())).isEmpty();
        String subscription = "sub_" + UUID.randomUUID();
        BillingPeriod first = new BillingPeriod(NOW, NOW.plus(Duration.ofDays(30)));
        runUsage.upsertBillingCycle(new BillingCycle(workspace.id(), subscription, first), NOW);
        assertThat(runUsage.getBillingCycle(workspace.id()).orElseThrow())
                .isEqualTo(new BillingCycle(workspace.id(), subscription, first));

        BillingPeriod second = new BillingPeriod(first.end(), first.end().plus(Duration.ofDays(31)));
        runUsage.upsertBillingCycle(new BillingCycle(workspace.id(), subscription, second), NOW.plusSeconds(1));
        assertThat(runUsage.getBillingCycle(workspace.id()).orElseThrow())
                .isEqualTo(new BillingCycle(workspace.id(), subscription, second));

        runUsage.clearBillingCycle(workspace.id());
        assertThat(runUsage.getBillingCycle(workspace.id())).isEmpty();
        runUsage.clearBillingCycle(workspace.id());
    }

    @Test
    void theOverageSubscriptionItemIsStored() {
        Workspace workspace = newWorkspace(newUser());
        assertThat(runUsage.getOverageSubscriptionItemId(workspace.id())).isEmpty();
        runUsage.setOverageSubscriptionItemId(workspace.id(), "si_123");
        assertThat(runUsage.getOverageSubscriptionItemId(workspace.id())).hasValue("si_123");
        assertThat(workspaces.findById(workspace.id()).orElseThrow().version())
                .as("EclipseLink bumps @Version in every bulk update").isEqualTo(workspace.version() + 1);
        runUsage.setOverageSubscriptionItemId(workspace.id(), null);
        assertThat(runUsage.getOverageSubscriptionItemId(workspace.id())).isEmpty();
        assertThat(runUsage.getOverageSubscriptionItemId(UUID.randomUUID())).isEmpty();
    }

    @Test
    void theOwnersStripeCustomerFollowsTheOwner() {
        User owner = newUser();
        User member = newUser();
        Workspace workspace = newWorkspace(owner);
        join(workspace, member, WorkspaceRole.ADMIN, NOW);
        assertThat(runUsage.findOwnerStripeCustomerId(workspace.id())).as("no customer yet").isEmpty();
        String ownerCustomer = users.setStripeCustomerId(owner.id(), "cus_" + UUID.randomUUID().toString().replace("-", ""));
        String memberCustomer = users.setStripeCustomerId(member.id(), "cus_" + UUID.randomUUID().toString().replace("-", ""));
        assertThat(runUsage.findOwnerStripeCustomerId(workspace.id())).hasValue(ownerCustomer);
        assertThat(workspaces.transferOwnership(workspace.id(), owner.id(), member.id())).isTrue();
        assertThat(runUsage.findOwnerStripeCustomerId(workspace.id())).hasValue(memberCustomer);
        assertThat(runUsage.findOwnerStripeCustomerId(UUID.randomUUID())).isEmpty();
    }
}
