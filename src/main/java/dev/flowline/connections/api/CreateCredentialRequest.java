package dev.flowline.connections.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A new credential: its name, kind, the origins it may be sent to, and its secret. */
public record CreateCredentialRequest(
        @NotNull @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
        @NotNull @Schema(enumeration = {"api-key", "bearer", "basic", "headers"}) String kind,
        @NotNull @Schema(description = "1 to 20 origins (https://api.example.com, https://*.example.com)") List<String> origins,
        @NotNull @Valid CredentialSecretRequest secret) {
}
