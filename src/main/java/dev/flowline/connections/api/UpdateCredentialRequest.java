package dev.flowline.connections.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Changes a credential: what is given replaces what is stored (at least one). A secret is of the credential's kind
 * and replaces the stored one whole.
 */
public record UpdateCredentialRequest(
        @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
        List<String> origins,
        @Valid CredentialSecretRequest secret) {
}
