package dev.flowline.workspaces;

import dev.flowline.platform.pagination.Keyset;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every persistent operation on a workspace's invitations and the seats they hold (a pending, unexpired invitation
 * holds a seat). Implemented by {@code JpaInvitationRepository} on PostgreSQL and by test doubles. The seat limit
 * is enforced here, in the database, under the workspace's row lock, never by reading a count and writing in Java.
 */
public interface InvitationRepository {

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

    /** Pending, unexpired invitations addressed to {@code email} (case-insensitive), all of them. */
    List<Invitation> listPendingInvitationsFor(String email, Instant now);

    /**
     * Pending, unexpired invitations addressed to {@code email} (case-insensitive) ordered by (created_at, id), after
     * {@code after}, {@code limit + 1} rows.
     */
    List<Invitation> listPendingInvitationsFor(String email, Instant now, Keyset after, int limit);

    /**
     * Accepts a pending, unexpired invitation and adds {@code userId} with the invited role, atomically (once:
     * a second call answers empty). Someone already a member keeps their role. An invitation into a personal
     * workspace is never accepted (empty).
     */
    Optional<Invitation> acceptInvitation(String tokenHash, UUID userId, Instant now);

    /** Declines a pending invitation; answers false when it is not pending. */
    boolean declineInvitation(String tokenHash, Instant now);

    /** Revokes a pending invitation; answers false when it is not pending. */
    boolean revokeInvitation(UUID workspaceId, UUID invitationId, Instant now);

    /**
     * Gives a pending invitation a new token and expiry (resend) and records {@code now} as its last resend, in one
     * guarded statement, only if it was never resent or last resent at or before {@code now - minInterval}.
     */
    InvitationRenewal renewInvitation(UUID workspaceId, UUID invitationId, String newTokenHash, Instant expiresAt,
                                      Instant now, Duration minInterval);

    /**
     * Counts one invitation email against the workspace's fixed window of {@code window} (a new window starts at
     * {@code now} once the current one has ended), in one guarded upsert: false when {@code limit} emails were
     * already sent in the current window.
     */
    boolean takeInvitationMail(UUID workspaceId, Instant now, Duration window, int limit);

    /** When the workspace's current window of invitation emails ends; empty when it never sent one. */
    Optional<Instant> invitationMailWindowEnd(UUID workspaceId, Duration window);
}
