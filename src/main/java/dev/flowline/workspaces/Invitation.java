package dev.flowline.workspaces;

import java.time.Instant;
import java.util.UUID;

/** An invitation to a workspace; the token is never part of it (only its hash is stored). */
public record Invitation(UUID id, UUID workspaceId, String workspaceName, String email, WorkspaceRole role,
                         InvitationStatus status, UUID invitedBy, Instant createdAt, Instant expiresAt,
                         Instant respondedAt) {

    public boolean pendingAt(Instant now) {
        return status == InvitationStatus.PENDING && expiresAt.isAfter(now);
    }
}
