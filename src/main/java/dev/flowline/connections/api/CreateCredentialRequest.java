package dev.flowline.connections.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/** A new credential: its name, kind, the origins it may be sent to, and its secret. */
public record CreateCredentialRequest(
        @NotNull @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
        @NotNull String kind,
        @NotNull List<String> origins,
        @NotNull @Valid CredentialSecretRequest secret) {
}
