package dev.flowline.workspaces;

import dev.flowline.platform.pagination.Keyset;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every persistent operation on workspaces, their members, invitations, plan, run usage and billing cycle.
 * Implemented by {@code JpaWorkspaceRepository} on PostgreSQL and by test doubles. Services decide; this persists.
 * Seat and quota limits are enforced here, in the database: under the workspace's row lock (seats) or by a guarded
 * single-statement update (runs), never by reading a count and writing in Java.
 */
public interface WorkspaceRepository {

    // --- workspaces ---

    /** Creates the workspace with {@code ownerId} as its owner. */
    Workspace create(String name, boolean personal, PlanTier tier, UUID ownerId, Instant now);

    Optional<Workspace> findById(UUID workspaceId);

    /** The user's workspaces ordered by (created_at, id), {@code limit + 1} rows after {@code after}. */
    List<Membership> listForUser(UUID userId, Keyset after, int limit);

    /**
     * Renames; with {@code expectedVersion} only if the workspace is still at that version. Answers the updated
     * workspace, or empty when it is gone or the version is stale.
     */
    Optional<Workspace> rename(UUID workspaceId, String name, Long expectedVersion, Instant now);

    /** Deletes the workspace and, by cascade, its members, invitations, usage and billing cycle. */
    boolean delete(UUID workspaceId);

    // --- members ---

    boolean isMember(UUID workspaceId, UUID userId);

    Optional<WorkspaceRole> findRole(UUID workspaceId, UUID userId);

    Optional<Member> findMember(UUID workspaceId, UUID userId);

    /** Members ordered by (joined_at, user_id), {@code limit + 1} rows after {@code after}. */
    List<Member> listMembers(UUID workspaceId, Keyset after, int limit);

    int countMembers(UUID workspaceId);

    /** Changes a non-owner's role to a non-owner role; answers false when there is no such non-owner member. */
    boolean changeRole(UUID workspaceId, UUID userId, WorkspaceRole role);

    /** Removes a non-owner member; answers false when there is no such non-owner member. */
    boolean removeMember(UUID workspaceId, UUID userId);

    /**
     * Makes {@code newOwnerId} (already a member) the owner and the current owner an admin, atomically.
     * Answers false when {@code currentOwnerId} is not the owner or {@code newOwnerId} not a member.
     */
    boolean transferOwnership(UUID workspaceId, UUID currentOwnerId, UUID newOwnerId);

    Optional<UUID> findOwner(UUID workspaceId);

    // --- invitations (a pending, unexpired invitation holds a seat) ---

    /**
     * Members plus pending unexpired invitations: the seats in use.
     */
    int countSeats(UUID workspaceId, Instant now);

    int countPendingInvitations(UUID workspaceId, Instant now);

    /**
     * Stores the invitation only if a seat is free ({@link #countSeats} below {@code seatLimit}), under the
     * workspace's row lock so concurrent invitations cannot overshoot. An expired pending invitation for the
     * same address is revoked first. Answers empty when the seats are full; throws
     * {@code WorkspaceErrors.InvitationPendingException} when the address already has a pending invitation there.
     */
    Optional<Invitation> tryCreateInvitation(NewInvitation invitation, int seatLimit, Instant now);

    Optional<Invitation> findInvitation(UUID workspaceId, UUID invitationId);

    Optional<Invitation> findInvitationByTokenHash(String tokenHash);

    /** Pending, unexpired invitations of a workspace ordered by (created_at, id), {@code limit + 1} rows. */
    List<Invitation> listPendingInvitations(UUID workspaceId, Instant now, Keyset after, int limit);

    /** Pending, unexpired invitations addressed to {@code email} (case-insensitive). */
    List<Invitation> listPendingInvitationsFor(String email, Instant now);

    /**
     * Accepts a pending, unexpired invitation and adds {@code userId} with the invited role, atomically (once:
     * a second call answers empty). Someone already a member keeps their role.
     */
    Optional<Invitation> acceptInvitation(String tokenHash, UUID userId, Instant now);

    /** Declines a pending invitation; answers false when it is not pending. */
    boolean declineInvitation(String tokenHash, Instant now);

    /** Revokes a pending invitation; answers false when it is not pending. */
    boolean revokeInvitation(UUID workspaceId, UUID invitationId, Instant now);

    /** Gives a pending invitation a new token and expiry (resend); answers the invitation, or empty. */
    Optional<Invitation> renewInvitation(UUID workspaceId, UUID invitationId, String newTokenHash, Instant expiresAt);

    // --- plan ---

    /** The workspace's tier. */
    Optional<PlanTier> getPlan(UUID workspaceId);

    boolean setPlan(UUID workspaceId, PlanTier tier, Instant now);

    // --- run usage ---

    /**
     * Takes one run unit in {@code period}: within {@code allocation} if one is left, else as overage when
     * {@code overageAllowed}, else refuses. Atomic under any concurrency.
     */
    RunConsumption tryConsumeRun(UUID workspaceId, BillingPeriod period, int allocation, boolean overageAllowed);

    /** Gives back one unit consumed as {@code kind} in the period starting at {@code periodStart}. */
    void releaseRun(UUID workspaceId, Instant periodStart, RunConsumption kind);

    /** Usage in {@code period}; zero when nothing was consumed yet. */
    RunUsage getRunUsage(UUID workspaceId, BillingPeriod period);

    // --- billing ---

    void upsertBillingCycle(BillingCycle cycle, Instant now);

    Optional<BillingCycle> getBillingCycle(UUID workspaceId);

    void clearBillingCycle(UUID workspaceId);

    Optional<String> getOverageSubscriptionItemId(UUID workspaceId);

    void setOverageSubscriptionItemId(UUID workspaceId, String subscriptionItemId);

    /** The Stripe customer of the workspace's owner, for metered billing. */
    Optional<String> findOwnerStripeCustomerId(UUID workspaceId);
}
