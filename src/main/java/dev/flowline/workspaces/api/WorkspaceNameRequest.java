package dev.flowline.workspaces.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Creating or renaming a workspace. */
public record WorkspaceNameRequest(@NotBlank @Size(max = 100) String name) {
}
