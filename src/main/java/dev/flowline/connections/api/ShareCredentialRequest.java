package dev.flowline.connections.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.UUID;

/** Shares one of the caller's credentials ({@code GET /me/credentials}) into the workspace; name: its name there. */
public record ShareCredentialRequest(@NotNull UUID credentialId,
                                     @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name) {
}
