package dev.flowline.connections;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What one request sends for a credential: headers to add, query parameters to add to the URL, and the origins it
 * may go to (the HTTP node checks them on every hop). {@code credentialId} is the id the workflow named (a shared
 * credential's id, or in a personal workspace the owner's own credential's id). {@link #toString()} never shows values.
 */
public record RunCredential(UUID credentialId, Map<String, String> headers, Map<String, String> queryParameters,
                            CredentialOrigins origins) {

    public RunCredential {
        Objects.requireNonNull(credentialId, "credentialId");
        headers = Map.copyOf(headers);
        queryParameters = Map.copyOf(queryParameters);
        Objects.requireNonNull(origins, "origins");
    }

    @Override
    public String toString() {
        return "RunCredential[" + credentialId + ", headers=" + headers.keySet() + ", query="
                + queryParameters.keySet() + ", origins=" + origins + "]";
    }
}
