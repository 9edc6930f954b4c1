package dev.flowline.workspaces;

import java.time.Instant;
import java.util.UUID;

/** A member of a workspace, with the account's email and name. */
public record Member(UUID workspaceId, UUID userId, String email, String name, WorkspaceRole role, Instant joinedAt) {
}
