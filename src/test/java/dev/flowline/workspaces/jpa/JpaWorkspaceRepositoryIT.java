package dev.flowline.workspaces.jpa;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.security.OpaqueTokens;
import dev.flowline.testing.Deployments;
import dev.flowline.users.NewUser;
import dev.flowline.users.User;
import dev.flowline.users.UserRepository;
import dev.flowline.workspaces.BillingCycle;
import dev.flowline.workspaces.BillingPeriod;
import dev.flowline.workspaces.Invitation;
import dev.flowline.workspaces.InvitationStatus;
import dev.flowline.workspaces.Member;
import dev.flowline.workspaces.Membership;
import dev.flowline.workspaces.NewInvitation;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.RunConsumption;
import dev.flowline.workspaces.RunUsage;
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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Persistence tests of {@link JpaWorkspaceRepository} inside Payara Micro on the real PostgreSQL: every method, every
 * native statement, and the concurrency claims (no seat or run-quota overshoot) with real threads, each repository
 * call its own transaction. Runs in the container, so it asserts with JUnit only.
 */
@ExtendWith(ArquillianExtension.class)
class JpaWorkspaceRepositoryIT {

    // microsecond precision: what timestamptz keeps
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private static final Instant IN_A_WEEK = NOW.plus(Duration.ofDays(7));
    private static final int MANY_SEATS = 100;

    /** PostgreSQL orders uuid by unsigned bytes, as their lowercase text sorts (UUID.compareTo is signed). */
    private static final Comparator<UUID> PG_UUID_ORDER = Comparator.comparing(UUID::toString);

    @Deployment
    static WebArchive deployment() {
        return Deployments.product().addClass(JpaWorkspaceRepositoryIT.class);
    }

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    UserRepository users;

    @Resource
    UserTransaction transaction;

    private User newUser() {
        String email = "ws-" + UUID.randomUUID() + "@Example.com";
        return users.create(new NewUser(email, "Name of " + email, "PBKDF2WithHmacSHA256:600000:c2FsdA==:aGFzaA=="), NOW)
                .orElseThrow();
    }

    private Workspace newWorkspace(User owner) {
        return workspaces.create("Team " + UUID.randomUUID().toString().substring(0, 8), false, PlanTier.WORKSPACE,
                owner.id(), NOW);
    }

    private static String tokenHash() {
        return OpaqueTokens.hash(OpaqueTokens.generate());
    }

    private static String newEmail() {
        return "invitee-" + UUID.randomUUID() + "@example.com";
    }

    private Invitation invite(Workspace workspace, String email, WorkspaceRole role, String tokenHash, Instant now,
                              Instant expiresAt) {
        return workspaces.tryCreateInvitation(new NewInvitation(workspace.id(), email, role, tokenHash, null, expiresAt),
                MANY_SEATS, now).orElseThrow();
    }

    /** Adds the user through an accepted invitation: the only way a non-owner joins. */
    private void join(Workspace workspace, User user, WorkspaceRole role, Instant at) {
        String hash = tokenHash();
        invite(workspace, user.email(), role, hash, at, at.plus(Duration.ofDays(1)));
        workspaces.acceptInvitation(hash, user.id(), at).orElseThrow();
    }

    private static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> result : pool.invokeAll(tasks)) {
                results.add(result.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // --- workspaces ---

    @Test
    void createsAWorkspaceWithItsOwner() {
        User owner = newUser();
        Workspace workspace = workspaces.create("Acme", false, PlanTier.SOLO, owner.id(), NOW);
        assertEquals("Acme", workspace.name());
        assertFalse(workspace.personal());
        assertEquals(PlanTier.SOLO, workspace.planTier());
        assertEquals(NOW, workspace.createdAt());
        assertEquals(NOW, workspace.updatedAt());
        assertEquals(workspace, workspaces.findById(workspace.id()).orElseThrow());
        assertTrue(workspaces.findById(UUID.randomUUID()).isEmpty());

        assertTrue(workspaces.isMember(workspace.id(), owner.id()));
        assertFalse(workspaces.isMember(workspace.id(), newUser().id()));
        assertEquals(Optional.of(WorkspaceRole.OWNER), workspaces.findRole(workspace.id(), owner.id()));
        assertEquals(Optional.of(owner.id()), workspaces.findOwner(workspace.id()));
        assertEquals(1, workspaces.countMembers(workspace.id()));
        assertEquals(new Member(workspace.id(), owner.id(), owner.email(), owner.name(), WorkspaceRole.OWNER, NOW),
                workspaces.findMember(workspace.id(), owner.id()).orElseThrow());
        assertTrue(workspaces.findOwner(UUID.randomUUID()).isEmpty());

        Workspace personal = workspaces.create("Personal", true, PlanTier.WORKSPACE, owner.id(), NOW);
        assertTrue(workspaces.findById(personal.id()).orElseThrow().personal());
    }

    @Test
    void renamesOnlyAtTheExpectedVersion() {
        Workspace workspace = newWorkspace(newUser());
        Instant later = NOW.plusSeconds(10);
        assertTrue(workspaces.rename(workspace.id(), "Stale", workspace.version() - 1, later).isEmpty());
        Workspace renamed = workspaces.rename(workspace.id(), "Renamed", workspace.version(), later).orElseThrow();
        assertEquals("Renamed", renamed.name());
        assertEquals(workspace.version() + 1, renamed.version());
        assertEquals(later, renamed.updatedAt());
        assertEquals(NOW, renamed.createdAt());
        assertEquals(renamed, workspaces.findById(workspace.id()).orElseThrow());
        assertTrue(workspaces.rename(workspace.id(), "Again", workspace.version(), later).isEmpty(), "stale now");

        Workspace unconditional = workspaces.rename(workspace.id(), "Any", null, later).orElseThrow();
        assertEquals(workspace.version() + 2, unconditional.version());
        assertTrue(workspaces.rename(UUID.randomUUID(), "Gone", null, later).isEmpty());
    }

    @Test
    void readsInOneTransactionSeeItsOwnBulkUpdates() throws Exception {
        User owner = newUser();
        User member = newUser();
        Workspace workspace = newWorkspace(owner);
        join(workspace, member, WorkspaceRole.MEMBER, NOW);
        transaction.begin();
        try {
            assertEquals(workspace, workspaces.findById(workspace.id()).orElseThrow());
            assertEquals(WorkspaceRole.MEMBER, workspaces.findMember(workspace.id(), member.id()).orElseThrow().role());
            workspaces.rename(workspace.id(), "Inside", null, NOW).orElseThrow();
            assertTrue(workspaces.changeRole(workspace.id(), member.id(), WorkspaceRole.VIEWER));
            assertEquals("Inside", workspaces.findById(workspace.id()).orElseThrow().name());
            assertEquals(WorkspaceRole.VIEWER, workspaces.findMember(workspace.id(), member.id()).orElseThrow().role());
        } finally {
            transaction.rollback();
        }
        assertEquals(workspace, workspaces.findById(workspace.id()).orElseThrow());
    }

    @Test
    void planChangesBumpTheVersion() {
        Workspace workspace = newWorkspace(newUser());
        assertEquals(Optional.of(PlanTier.WORKSPACE), workspaces.getPlan(workspace.id()));
        assertTrue(workspaces.setPlan(workspace.id(), PlanTier.SOLO, NOW.plusSeconds(1)));
        assertEquals(Optional.of(PlanTier.SOLO), workspaces.getPlan(workspace.id()));
        Workspace stored = workspaces.findById(workspace.id()).orElseThrow();
        assertEquals(workspace.version() + 1, stored.version());
        assertEquals(NOW.plusSeconds(1), stored.updatedAt());
        assertFalse(workspaces.setPlan(UUID.randomUUID(), PlanTier.SOLO, NOW));
        assertTrue(workspaces.getPlan(UUID.randomUUID()).isEmpty());
    }

    @Test
    void deletingAWorkspaceRemovesEverythingInIt() {
        User owner = newUser();
        User member = newUser();
        Workspace workspace = newWorkspace(owner);
        join(workspace, member, WorkspaceRole.MEMBER, NOW);
        Invitation invitation = invite(workspace, newEmail(), WorkspaceRole.VIEWER, tokenHash(), NOW, IN_A_WEEK);
        BillingPeriod period = new BillingPeriod(NOW, NOW.plus(Duration.ofDays(30)));
        workspaces.tryConsumeRun(workspace.id(), period, 10, false);
        workspaces.upsertBillingCycle(new BillingCycle(workspace.id(), "sub_" + UUID.randomUUID(), period), NOW);

        assertTrue(workspaces.delete(workspace.id()));
        assertTrue(workspaces.findById(workspace.id()).isEmpty());
        assertEquals(0, workspaces.countMembers(workspace.id()));
        assertFalse(workspaces.isMember(workspace.id(), member.id()));
        assertTrue(workspaces.findInvitation(workspace.id(), invitation.id()).isEmpty());
        assertEquals(new RunUsage(period, 0, 0), workspaces.getRunUsage(workspace.id(), period));
        assertTrue(workspaces.getBillingCycle(workspace.id()).isEmpty());
        assertFalse(workspaces.delete(workspace.id()), "already gone");
        assertTrue(users.findById(owner.id()).isPresent(), "the accounts stay");
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
        assertEquals(expected.subList(0, 3), first, "limit + 1 rows");
        Workspace lastOfPage = first.get(1).workspace();
        List<Membership> second = workspaces.listForUser(user.id(), new Keyset(lastOfPage.createdAt(), lastOfPage.id()), 2);
        assertEquals(expected.subList(2, 5), second);
        Workspace lastOfSecond = second.get(1).workspace();
        assertEquals(expected.subList(4, 5),
                workspaces.listForUser(user.id(), new Keyset(lastOfSecond.createdAt(), lastOfSecond.id()), 2));
        assertEquals(expected, workspaces.listForUser(user.id(), null, 50));
        assertTrue(workspaces.listForUser(UUID.randomUUID(), null, 50).isEmpty());
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
        assertEquals(4, workspaces.countMembers(workspace.id()));
        assertEquals(expected.get(2), workspaces.findMember(workspace.id(), expected.get(2).userId()).orElseThrow());
        assertTrue(workspaces.findMember(workspace.id(), UUID.randomUUID()).isEmpty());

        List<Member> first = workspaces.listMembers(workspace.id(), null, 2);
        assertEquals(expected.subList(0, 3), first);
        Member last = first.get(1);
        assertEquals(expected.subList(2, 4), workspaces.listMembers(workspace.id(), new Keyset(last.joinedAt(), last.userId()), 2));
        assertEquals(expected, workspaces.listMembers(workspace.id(), null, 4));
    }

    @Test
    void rolesChangeAndMembersLeaveButTheOwnerStays() {
        User owner = newUser();
        User member = newUser();
        Workspace workspace = newWorkspace(owner);
        join(workspace, member, WorkspaceRole.MEMBER, NOW);

        assertTrue(workspaces.changeRole(workspace.id(), member.id(), WorkspaceRole.ADMIN));
        assertEquals(Optional.of(WorkspaceRole.ADMIN), workspaces.findRole(workspace.id(), member.id()));
        assertFalse(workspaces.changeRole(workspace.id(), owner.id(), WorkspaceRole.VIEWER), "the owner");
        assertFalse(workspaces.changeRole(workspace.id(), UUID.randomUUID(), WorkspaceRole.VIEWER), "not a member");
        assertThrows(EJBException.class, () -> workspaces.changeRole(workspace.id(), member.id(), WorkspaceRole.OWNER));
        assertEquals(Optional.of(WorkspaceRole.OWNER), workspaces.findRole(workspace.id(), owner.id()));

        assertFalse(workspaces.removeMember(workspace.id(), owner.id()), "the owner");
        assertTrue(workspaces.isMember(workspace.id(), owner.id()));
        assertTrue(workspaces.removeMember(workspace.id(), member.id()));
        assertFalse(workspaces.removeMember(workspace.id(), member.id()), "already gone");
        assertFalse(workspaces.isMember(workspace.id(), member.id()));
        assertTrue(workspaces.findRole(workspace.id(), member.id()).isEmpty());
        assertEquals(1, workspaces.countMembers(workspace.id()));
    }

    @Test
    void ownershipMovesToAMemberAndTheOwnerBecomesAnAdmin() {
        User owner = newUser();
        User member = newUser();
        User outsider = newUser();
        Workspace workspace = newWorkspace(owner);
        join(workspace, member, WorkspaceRole.VIEWER, NOW);

        assertFalse(workspaces.transferOwnership(workspace.id(), owner.id(), outsider.id()), "not a member");
        assertFalse(workspaces.transferOwnership(workspace.id(), member.id(), owner.id()), "not the owner");
        assertFalse(workspaces.transferOwnership(UUID.randomUUID(), owner.id(), member.id()), "no workspace");
        assertEquals(Optional.of(owner.id()), workspaces.findOwner(workspace.id()));
        assertEquals(Optional.of(WorkspaceRole.VIEWER), workspaces.findRole(workspace.id(), member.id()));

        assertTrue(workspaces.transferOwnership(workspace.id(), owner.id(), member.id()));
        assertEquals(Optional.of(member.id()), workspaces.findOwner(workspace.id()));
        assertEquals(Optional.of(WorkspaceRole.ADMIN), workspaces.findRole(workspace.id(), owner.id()));
        assertEquals(Optional.of(WorkspaceRole.OWNER), workspaces.findRole(workspace.id(), member.id()));
        assertFalse(workspaces.transferOwnership(workspace.id(), owner.id(), member.id()), "no longer the owner");
        assertTrue(workspaces.transferOwnership(workspace.id(), member.id(), member.id()), "already the owner");
        assertFalse(workspaces.transferOwnership(workspace.id(), owner.id(), owner.id()));
        assertEquals(Optional.of(member.id()), workspaces.findOwner(workspace.id()));
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
        assertEquals(1, concurrently(transfers).stream().filter(Boolean::booleanValue).count());
        UUID newOwner = workspaces.findOwner(workspace.id()).orElseThrow();
        assertEquals(1, workspaces.listMembers(workspace.id(), null, 50).stream()
                .filter(m -> m.role() == WorkspaceRole.OWNER).count());
        assertFalse(newOwner.equals(owner.id()));
        assertEquals(Optional.of(WorkspaceRole.ADMIN), workspaces.findRole(workspace.id(), owner.id()));
    }

    // --- invitations ---

    @Test
    void storesAnInvitationAndFindsItByIdAndTokenHash() {
        User owner = newUser();
        Workspace workspace = newWorkspace(owner);
        String email = newEmail();
        String hash = tokenHash();
        Invitation invitation = workspaces.tryCreateInvitation(
                new NewInvitation(workspace.id(), email, WorkspaceRole.ADMIN, hash, owner.id(), IN_A_WEEK),
                MANY_SEATS, NOW).orElseThrow();
        assertEquals(new Invitation(invitation.id(), workspace.id(), workspace.name(), email, WorkspaceRole.ADMIN,
                InvitationStatus.PENDING, owner.id(), NOW, IN_A_WEEK, null), invitation);
        assertEquals(invitation, workspaces.findInvitation(workspace.id(), invitation.id()).orElseThrow());
        assertEquals(invitation, workspaces.findInvitationByTokenHash(hash).orElseThrow());
        assertTrue(workspaces.findInvitation(newWorkspace(owner).id(), invitation.id()).isEmpty(), "other workspace");
        assertTrue(workspaces.findInvitationByTokenHash(tokenHash()).isEmpty());
        assertTrue(workspaces.tryCreateInvitation(
                new NewInvitation(UUID.randomUUID(), email, WorkspaceRole.ADMIN, tokenHash(), null, IN_A_WEEK),
                MANY_SEATS, NOW).isEmpty(), "no workspace");
    }

    @Test
    void pendingUnexpiredInvitationsHoldSeats() {
        User owner = newUser();
        Workspace workspace = newWorkspace(owner);
        Instant soon = NOW.plusSeconds(60);
        invite(workspace, newEmail(), WorkspaceRole.MEMBER, tokenHash(), NOW, soon);
        Invitation revoked = invite(workspace, newEmail(), WorkspaceRole.MEMBER, tokenHash(), NOW, IN_A_WEEK);
        assertTrue(workspaces.revokeInvitation(workspace.id(), revoked.id(), NOW));

        assertEquals(1, workspaces.countPendingInvitations(workspace.id(), NOW));
        assertEquals(2, workspaces.countSeats(workspace.id(), NOW));
        assertEquals(0, workspaces.countPendingInvitations(workspace.id(), soon), "expired");
        assertEquals(1, workspaces.countSeats(workspace.id(), soon));

        // seat limit 3: owner + the pending one + one more
        NewInvitation third = new NewInvitation(workspace.id(), newEmail(), WorkspaceRole.MEMBER, tokenHash(), null, IN_A_WEEK);
        assertTrue(workspaces.tryCreateInvitation(third, 3, NOW).isPresent());
        NewInvitation fourth = new NewInvitation(workspace.id(), newEmail(), WorkspaceRole.MEMBER, tokenHash(), null, IN_A_WEEK);
        assertTrue(workspaces.tryCreateInvitation(fourth, 3, NOW).isEmpty(), "seats full");
        assertTrue(workspaces.tryCreateInvitation(fourth, 3, soon).isPresent(), "the expired one freed its seat");
        assertEquals(3, workspaces.countSeats(workspace.id(), soon));
    }

    @Test
    void anExpiredInvitationForTheSameAddressIsRevokedByANewOne() {
        Workspace workspace = newWorkspace(newUser());
        String email = newEmail();
        Instant expiry = NOW.plusSeconds(60);
        Invitation old = invite(workspace, email, WorkspaceRole.MEMBER, tokenHash(), NOW, expiry);
        Invitation renewed = invite(workspace, email.toUpperCase(), WorkspaceRole.ADMIN, tokenHash(), expiry, IN_A_WEEK);

        Invitation revoked = workspaces.findInvitation(workspace.id(), old.id()).orElseThrow();
        assertEquals(InvitationStatus.REVOKED, revoked.status());
        assertEquals(expiry, revoked.respondedAt());
        assertEquals(InvitationStatus.PENDING, workspaces.findInvitation(workspace.id(), renewed.id()).orElseThrow().status());

        // while one is pending and unexpired, a second is refused under the lock (a 409, not the unique index's error)
        assertThrows(WorkspaceErrors.InvitationPendingException.class,
                () -> invite(workspace, email, WorkspaceRole.MEMBER, tokenHash(), NOW, IN_A_WEEK));
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
        workspaces.revokeInvitation(workspace.id(), answered.id(), NOW);
        Invitation elsewhere = invite(other, email.toUpperCase(), WorkspaceRole.VIEWER, tokenHash(), NOW.plusSeconds(2), IN_A_WEEK);
        expected.sort(Comparator.comparing(Invitation::createdAt).thenComparing(Invitation::id, PG_UUID_ORDER));

        Instant at = NOW.plusSeconds(10);
        List<Invitation> first = workspaces.listPendingInvitations(workspace.id(), at, null, 1);
        assertEquals(expected.subList(0, 2), first);
        Invitation last = first.get(0);
        assertEquals(expected.subList(1, 3),
                workspaces.listPendingInvitations(workspace.id(), at, new Keyset(last.createdAt(), last.id()), 1));
        assertEquals(expected, workspaces.listPendingInvitations(workspace.id(), at, null, 10));

        assertEquals(List.of(expected.get(0), elsewhere), workspaces.listPendingInvitationsFor(email.toUpperCase(), at));
        assertEquals(List.of(), workspaces.listPendingInvitationsFor(email, IN_A_WEEK), "expired");
    }

    @Test
    void acceptingAddsTheMemberOnce() {
        User owner = newUser();
        User invitee = newUser();
        Workspace workspace = newWorkspace(owner);
        String hash = tokenHash();
        Invitation invitation = invite(workspace, invitee.email(), WorkspaceRole.ADMIN, hash, NOW, IN_A_WEEK);
        Instant at = NOW.plusSeconds(30);

        Invitation accepted = workspaces.acceptInvitation(hash, invitee.id(), at).orElseThrow();
        assertEquals(new Invitation(invitation.id(), workspace.id(), workspace.name(), invitation.email(),
                WorkspaceRole.ADMIN, InvitationStatus.ACCEPTED, null, NOW, IN_A_WEEK, at), accepted);
        assertEquals(accepted, workspaces.findInvitation(workspace.id(), invitation.id()).orElseThrow());
        assertEquals(new Member(workspace.id(), invitee.id(), invitee.email(), invitee.name(), WorkspaceRole.ADMIN, at),
                workspaces.findMember(workspace.id(), invitee.id()).orElseThrow());
        assertTrue(workspaces.acceptInvitation(hash, invitee.id(), at).isEmpty(), "once");
        assertEquals(2, workspaces.countSeats(workspace.id(), at));

        // an expired invitation is not accepted; a member accepting keeps their role
        String expiring = tokenHash();
        invite(workspace, newEmail(), WorkspaceRole.VIEWER, expiring, NOW, NOW.plusSeconds(60));
        assertTrue(workspaces.acceptInvitation(expiring, newUser().id(), NOW.plusSeconds(60)).isEmpty());
        String again = tokenHash();
        invite(workspace, newEmail(), WorkspaceRole.VIEWER, again, NOW, IN_A_WEEK);
        assertTrue(workspaces.acceptInvitation(again, invitee.id(), at).isPresent());
        assertEquals(Optional.of(WorkspaceRole.ADMIN), workspaces.findRole(workspace.id(), invitee.id()));
        assertTrue(workspaces.acceptInvitation(tokenHash(), invitee.id(), at).isEmpty(), "unknown token");
    }

    @Test
    void concurrentAcceptsOfOneInvitationAddOneMember() throws Exception {
        Workspace workspace = newWorkspace(newUser());
        User invitee = newUser();
        String hash = tokenHash();
        invite(workspace, invitee.email(), WorkspaceRole.MEMBER, hash, NOW, IN_A_WEEK);
        List<Callable<Boolean>> accepts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            accepts.add(() -> workspaces.acceptInvitation(hash, invitee.id(), NOW).isPresent());
        }
        assertEquals(1, concurrently(accepts).stream().filter(Boolean::booleanValue).count());
        assertEquals(2, workspaces.countMembers(workspace.id()));
    }

    @Test
    void declineRevokeAndRenewAnswerOnlyPendingInvitations() {
        Workspace workspace = newWorkspace(newUser());
        String declineHash = tokenHash();
        Invitation declined = invite(workspace, newEmail(), WorkspaceRole.MEMBER, declineHash, NOW, IN_A_WEEK);
        Instant at = NOW.plusSeconds(5);
        assertTrue(workspaces.declineInvitation(declineHash, at));
        assertFalse(workspaces.declineInvitation(declineHash, at), "already declined");
        Invitation stored = workspaces.findInvitation(workspace.id(), declined.id()).orElseThrow();
        assertEquals(InvitationStatus.DECLINED, stored.status());
        assertEquals(at, stored.respondedAt());
        assertFalse(workspaces.revokeInvitation(workspace.id(), declined.id(), at), "answered");
        assertTrue(workspaces.renewInvitation(workspace.id(), declined.id(), tokenHash(), IN_A_WEEK).isEmpty());

        String expiringHash = tokenHash();
        invite(workspace, newEmail(), WorkspaceRole.MEMBER, expiringHash, NOW, NOW.plusSeconds(60));
        assertFalse(workspaces.declineInvitation(expiringHash, NOW.plusSeconds(60)), "expired");

        String oldHash = tokenHash();
        Invitation pending = invite(workspace, newEmail(), WorkspaceRole.VIEWER, oldHash, NOW, NOW.plusSeconds(60));
        String newHash = tokenHash();
        Instant newExpiry = IN_A_WEEK.plusSeconds(1);
        Invitation renewed = workspaces.renewInvitation(workspace.id(), pending.id(), newHash, newExpiry).orElseThrow();
        assertEquals(newExpiry, renewed.expiresAt());
        assertEquals(pending.createdAt(), renewed.createdAt());
        assertEquals(InvitationStatus.PENDING, renewed.status());
        assertTrue(workspaces.findInvitationByTokenHash(oldHash).isEmpty(), "the old link stops working");
        assertEquals(renewed, workspaces.findInvitationByTokenHash(newHash).orElseThrow());
        assertTrue(workspaces.renewInvitation(newWorkspace(newUser()).id(), pending.id(), tokenHash(), newExpiry).isEmpty());

        assertFalse(workspaces.revokeInvitation(UUID.randomUUID(), pending.id(), at), "other workspace");
        assertTrue(workspaces.revokeInvitation(workspace.id(), pending.id(), at));
        assertFalse(workspaces.revokeInvitation(workspace.id(), pending.id(), at), "already revoked");
        Invitation revoked = workspaces.findInvitation(workspace.id(), pending.id()).orElseThrow();
        assertEquals(InvitationStatus.REVOKED, revoked.status());
        assertEquals(at, revoked.respondedAt());
        assertTrue(workspaces.acceptInvitation(newHash, newUser().id(), at).isEmpty(), "revoked");
    }

    @Test
    void concurrentInvitationsCannotTakeMoreThanTheLastSeat() throws Exception {
        Workspace workspace = newWorkspace(newUser());
        invite(workspace, newEmail(), WorkspaceRole.MEMBER, tokenHash(), NOW, IN_A_WEEK);
        int seatLimit = workspaces.countSeats(workspace.id(), NOW) + 1;
        List<Callable<Boolean>> invitations = IntStream.range(0, 10)
                .<Callable<Boolean>>mapToObj(i -> () -> workspaces.tryCreateInvitation(new NewInvitation(workspace.id(),
                        newEmail(), WorkspaceRole.MEMBER, tokenHash(), null, IN_A_WEEK), seatLimit, NOW).isPresent())
                .toList();
        assertEquals(1, concurrently(invitations).stream().filter(Boolean::booleanValue).count());
        assertEquals(2, workspaces.countPendingInvitations(workspace.id(), NOW));
        assertEquals(seatLimit, workspaces.countSeats(workspace.id(), NOW));
    }

    // --- run usage ---

    @Test
    void runsAreTakenWithinTheAllocationThenAsOverageAndReleased() {
        Workspace workspace = newWorkspace(newUser());
        BillingPeriod period = new BillingPeriod(NOW, NOW.plus(Duration.ofDays(30)));
        UUID id = workspace.id();
        assertEquals(new RunUsage(period, 0, 0), workspaces.getRunUsage(id, period));
        assertEquals(RunConsumption.WITHIN_ALLOCATION, workspaces.tryConsumeRun(id, period, 2, false));
        assertEquals(RunConsumption.WITHIN_ALLOCATION, workspaces.tryConsumeRun(id, period, 2, true));
        assertEquals(RunConsumption.REFUSED, workspaces.tryConsumeRun(id, period, 2, false));
        assertEquals(RunConsumption.OVERAGE, workspaces.tryConsumeRun(id, period, 2, true));
        assertEquals(new RunUsage(period, 2, 1), workspaces.getRunUsage(id, period));

        workspaces.releaseRun(id, period.start(), RunConsumption.OVERAGE);
        workspaces.releaseRun(id, period.start(), RunConsumption.OVERAGE);
        workspaces.releaseRun(id, period.start(), RunConsumption.REFUSED);
        assertEquals(new RunUsage(period, 2, 0), workspaces.getRunUsage(id, period), "never below zero");
        workspaces.releaseRun(id, period.start(), RunConsumption.WITHIN_ALLOCATION);
        assertEquals(new RunUsage(period, 1, 0), workspaces.getRunUsage(id, period));
        assertEquals(RunConsumption.WITHIN_ALLOCATION, workspaces.tryConsumeRun(id, period, 2, false), "given back");
        assertEquals(RunConsumption.REFUSED, workspaces.tryConsumeRun(id, period, 2, false));

        BillingPeriod next = new BillingPeriod(period.end(), period.end().plus(Duration.ofDays(30)));
        assertEquals(RunConsumption.WITHIN_ALLOCATION, workspaces.tryConsumeRun(id, next, 2, false), "a new period");
        assertEquals(new RunUsage(next, 1, 0), workspaces.getRunUsage(id, next));
        assertEquals(RunConsumption.OVERAGE, workspaces.tryConsumeRun(id, period, 0, true), "no allocation at all");
        workspaces.releaseRun(UUID.randomUUID(), period.start(), RunConsumption.WITHIN_ALLOCATION); // nothing there
    }

    @Test
    void concurrentRunsNeverOvershootTheAllocation() throws Exception {
        Map<RunConsumption, Long> outcomes = consumeConcurrently(200, 50, false);
        assertEquals(Map.of(RunConsumption.WITHIN_ALLOCATION, 50L, RunConsumption.REFUSED, 150L), outcomes);
    }

    @Test
    void concurrentRunsBeyondTheAllocationAreAllCountedAsOverage() throws Exception {
        Map<RunConsumption, Long> outcomes = consumeConcurrently(200, 50, true);
        assertEquals(Map.of(RunConsumption.WITHIN_ALLOCATION, 50L, RunConsumption.OVERAGE, 150L), outcomes);
    }

    private Map<RunConsumption, Long> consumeConcurrently(int runs, int allocation, boolean overage) throws Exception {
        Workspace workspace = newWorkspace(newUser());
        BillingPeriod period = BillingPeriod.calendarMonthOf(NOW);
        List<Callable<RunConsumption>> consumers = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            consumers.add(() -> workspaces.tryConsumeRun(workspace.id(), period, allocation, overage));
        }
        Map<RunConsumption, Long> outcomes = concurrently(consumers).stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        RunUsage usage = workspaces.getRunUsage(workspace.id(), period);
        assertEquals(allocation, usage.used());
        assertEquals(overage ? runs - allocation : 0, usage.overage());
        return outcomes;
    }

    @Test
    void concurrentReleasesAndConsumesKeepTheCountsExact() throws Exception {
        Workspace workspace = newWorkspace(newUser());
        BillingPeriod period = BillingPeriod.calendarMonthOf(NOW);
        for (int i = 0; i < 10; i++) {
            assertEquals(RunConsumption.WITHIN_ALLOCATION, workspaces.tryConsumeRun(workspace.id(), period, 10, true));
        }
        // 20 releases and 20 consumes race: every release frees a unit that some consume may take back
        List<Callable<RunConsumption>> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tasks.add(() -> workspaces.tryConsumeRun(workspace.id(), period, 10, true));
            tasks.add(() -> {
                workspaces.releaseRun(workspace.id(), period.start(), RunConsumption.WITHIN_ALLOCATION);
                return null;
            });
        }
        List<RunConsumption> outcomes = concurrently(tasks);
        long within = outcomes.stream().filter(RunConsumption.WITHIN_ALLOCATION::equals).count();
        long over = outcomes.stream().filter(RunConsumption.OVERAGE::equals).count();
        assertEquals(20, within + over);
        RunUsage usage = workspaces.getRunUsage(workspace.id(), period);
        assertEquals(over, usage.overage());
        assertTrue(usage.used() >= 0 && usage.used() <= 10, "used " + usage.used());
    }

    // --- billing ---

    @Test
    void theBillingCycleIsUpsertedReadAndCleared() {
        Workspace workspace = newWorkspace(newUser());
        assertTrue(workspaces.getBillingCycle(workspace.id()).isEmpty());
        String subscription = "sub_" + UUID.randomUUID();
        BillingPeriod first = new BillingPeriod(NOW, NOW.plus(Duration.ofDays(30)));
        workspaces.upsertBillingCycle(new BillingCycle(workspace.id(), subscription, first), NOW);
        assertEquals(new BillingCycle(workspace.id(), subscription, first), workspaces.getBillingCycle(workspace.id()).orElseThrow());

        BillingPeriod second = new BillingPeriod(first.end(), first.end().plus(Duration.ofDays(31)));
        workspaces.upsertBillingCycle(new BillingCycle(workspace.id(), subscription, second), NOW.plusSeconds(1));
        assertEquals(new BillingCycle(workspace.id(), subscription, second), workspaces.getBillingCycle(workspace.id()).orElseThrow());

        workspaces.clearBillingCycle(workspace.id());
        assertTrue(workspaces.getBillingCycle(workspace.id()).isEmpty());
        workspaces.clearBillingCycle(workspace.id());
    }

    @Test
    void theOverageSubscriptionItemIsStored() {
        Workspace workspace = newWorkspace(newUser());
        assertTrue(workspaces.getOverageSubscriptionItemId(workspace.id()).isEmpty());
        workspaces.setOverageSubscriptionItemId(workspace.id(), "si_123");
        assertEquals(Optional.of("si_123"), workspaces.getOverageSubscriptionItemId(workspace.id()));
        assertEquals(workspace.version() + 1, workspaces.findById(workspace.id()).orElseThrow().version(),
                "EclipseLink bumps @Version in every bulk update");
        workspaces.setOverageSubscriptionItemId(workspace.id(), null);
        assertTrue(workspaces.getOverageSubscriptionItemId(workspace.id()).isEmpty());
        assertTrue(workspaces.getOverageSubscriptionItemId(UUID.randomUUID()).isEmpty());
    }

    @Test
    void theOwnersStripeCustomerFollowsTheOwner() {
        User owner = newUser();
        User member = newUser();
        Workspace workspace = newWorkspace(owner);
        join(workspace, member, WorkspaceRole.ADMIN, NOW);
        assertTrue(workspaces.findOwnerStripeCustomerId(workspace.id()).isEmpty(), "no customer yet");
        String ownerCustomer = users.setStripeCustomerId(owner.id(), "cus_" + UUID.randomUUID().toString().replace("-", ""));
        String memberCustomer = users.setStripeCustomerId(member.id(), "cus_" + UUID.randomUUID().toString().replace("-", ""));
        assertEquals(Optional.of(ownerCustomer), workspaces.findOwnerStripeCustomerId(workspace.id()));
        assertTrue(workspaces.transferOwnership(workspace.id(), owner.id(), member.id()));
        assertEquals(Optional.of(memberCustomer), workspaces.findOwnerStripeCustomerId(workspace.id()));
        assertTrue(workspaces.findOwnerStripeCustomerId(UUID.randomUUID()).isEmpty());
    }
}
