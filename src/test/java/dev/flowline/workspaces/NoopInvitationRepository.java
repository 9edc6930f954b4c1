package dev.flowline.workspaces;

import dev.flowline.platform.pagination.Keyset;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An {@link InvitationRepository} that stores nothing and answers empty or neutral: no seat is taken, no invitation
 * is found or stored. Goes with {@link NoopWorkspaceRepository} (tests of other areas) and with
 * {@link StaticWorkspaceMembershipRepository} (rules decided before an invitation is stored).
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class NoopInvitationRepository implements InvitationRepository {

    @Override
    public int countSeats(UUID workspaceId, Instant now) {
        return 0;
    }

    @Override
    public int countPendingInvitations(UUID workspaceId, Instant now) {
        return 0;
    }

    @Override
    public Optional<Invitation> tryCreateInvitation(NewInvitation invitation, int seatLimit, Instant now) {
        return Optional.empty();
    }

    @Override
    public Optional<Invitation> findInvitation(UUID workspaceId, UUID invitationId) {
        return Optional.empty();
    }

    @Override
    public Optional<Invitation> findInvitationByTokenHash(String tokenHash) {
        return Optional.empty();
    }

    @Override
    public List<Invitation> listPendingInvitations(UUID workspaceId, Instant now, Keyset after, int limit) {
        return List.of();
    }

    @Override
    public List<Invitation> listPendingInvitationsFor(String email, Instant now) {
        return List.of();
    }

    @Override
    public List<Invitation> listPendingInvitationsFor(String email, Instant now, Keyset after, int limit) {
        return List.of();
    }

    @Override
    public Optional<Invitation> acceptInvitation(String tokenHash, UUID userId, Instant now) {
        return Optional.empty();
    }

    @Override
    public boolean declineInvitation(String tokenHash, Instant now) {
        return false;
    }

    @Override
    public boolean revokeInvitation(UUID workspaceId, UUID invitationId, Instant now) {
        return false;
    }

    @Override
    public InvitationRenewal renewInvitation(UUID workspaceId, UUID invitationId, String newTokenHash,
                                             Instant expiresAt, Instant now, Duration minInterval) {
        return InvitationRenewal.notPending();
    }

    @Override
    public boolean takeInvitationMail(UUID workspaceId, Instant now, Duration window, int limit) {
        return true;
    }

    @Override
    public Optional<Instant> invitationMailWindowEnd(UUID workspaceId, Duration window) {
        return Optional.empty();
    }
}
