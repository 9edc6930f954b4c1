package dev.flowline.workspaces.api;

import dev.flowline.workspaces.Invitation;
import dev.flowline.workspaces.WorkspaceRole;

import java.time.Instant;
import java.util.UUID;

/** {@code status}: PENDING, EXPIRED, ACCEPTED, DECLINED or REVOKED. */
public record InvitationResponse(UUID id, UUID workspaceId, String workspaceName, String email, WorkspaceRole role,
                                 String status, Instant createdAt, Instant expiresAt) {

    static InvitationResponse of(Invitation invitation, Instant now) {
        String status = invitation.status().name();
        if (invitation.status() == dev.flowline.workspaces.InvitationStatus.PENDING && !invitation.pendingAt(now)) {
            status = "EXPIRED";
        }
        return new InvitationResponse(invitation.id(), invitation.workspaceId(), invitation.workspaceName(),
                invitation.email(), invitation.role(), status, invitation.createdAt(), invitation.expiresAt());
    }
}
