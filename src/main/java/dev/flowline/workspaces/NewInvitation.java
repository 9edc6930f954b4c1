package dev.flowline.workspaces;

import java.time.Instant;
import java.util.UUID;

/** What an admin asks for; the repository stores it only while a seat is free. */
public record NewInvitation(UUID workspaceId, String email, WorkspaceRole role, String tokenHash, UUID invitedBy,
                            Instant expiresAt) {
}
