package dev.flowline.workspaces.api;

import dev.flowline.workspaces.WorkspaceRole;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Invite {@code email} as ADMIN, MEMBER or VIEWER. */
public record CreateInvitationRequest(@NotBlank @Email @Size(max = 254) String email, @NotNull WorkspaceRole role) {
}
