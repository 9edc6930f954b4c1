package dev.flowline.workspaces.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The token from the invitation email. */
public record InvitationTokenRequest(@NotBlank @Size(max = 128) String token) {
}
