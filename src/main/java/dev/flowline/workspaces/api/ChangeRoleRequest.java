package dev.flowline.workspaces.api;

import dev.flowline.workspaces.WorkspaceRole;
import jakarta.validation.constraints.NotNull;

/** ADMIN, MEMBER or VIEWER (OWNER only by transfer). */
public record ChangeRoleRequest(@NotNull WorkspaceRole role) {
}
