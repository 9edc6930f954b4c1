package dev.flowline.connections.api;

import dev.flowline.connections.CredentialFields;

import java.util.Map;

/**
 * A credential's secret: the fields of its kind only. api-key: {@code in} ({@code header} or {@code query}),
 * {@code name} (the header or query parameter), {@code value}; bearer: {@code token}; basic: {@code username},
 * {@code password}; headers: {@code headers} (1 to 10 names and values). Write-only: never answered back.
 */
public record CredentialSecretRequest(String in, String name, String value, String token, String username,
                                      String password, Map<String, String> headers) {

    CredentialFields toFields() {
        return new CredentialFields(in, name, value, token, username, password, headers);
    }

    @Override
    public String toString() {
        return "CredentialSecretRequest[values hidden]";
    }
}
