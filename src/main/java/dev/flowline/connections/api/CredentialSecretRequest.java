package dev.flowline.connections.api;

import dev.flowline.connections.CredentialFields;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/**
 * A credential's secret: the fields of its kind only. api-key: {@code in} ({@code header} or {@code query}),
 * {@code name} (the header or query parameter), {@code value}; bearer: {@code token}; basic: {@code username},
 * {@code password}; headers: {@code headers} (1 to 10 names and values). Write-only: never answered back.
 */
@Schema(description = "The secret fields of the credential's kind; write-only")
public record CredentialSecretRequest(
        @Schema(description = "api-key: header or query", enumeration = {"header", "query"}) String in,
        @Schema(description = "api-key: the header or query parameter name") String name,
        @Schema(description = "api-key: the key (at most 8192 characters)") String value,
        @Schema(description = "bearer: the token sent as Authorization: Bearer") String token,
        @Schema(description = "basic: the user name (no ':')") String username,
        @Schema(description = "basic: the password") String password,
        @Schema(description = "headers: 1 to 10 header names and values") Map<String, String> headers) {

    CredentialFields toFields() {
        return new CredentialFields(in, name, value, token, username, password, headers);
    }

    @Override
    public String toString() {
        return "CredentialSecretRequest[values hidden]";
    }
}
