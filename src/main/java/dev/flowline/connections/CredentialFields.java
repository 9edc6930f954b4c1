package dev.flowline.connections;

import java.util.Map;

/**
 * The fields a client sends for a credential's secret, before they are checked against its kind: api-key uses
 * {@code in}, {@code name} and {@code value}; bearer {@code token}; basic {@code username} and {@code password};
 * headers {@code headers}. Never logged: {@link #toString()} shows no value.
 */
public record CredentialFields(String in, String name, String value, String token, String username, String password,
                               Map<String, String> headers) {

    @Override
    public String toString() {
        return "CredentialFields[values hidden]";
    }
}
