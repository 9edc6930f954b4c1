package dev.flowline.connections;

import java.util.List;

/**
 * What may be shown of a credential's secret: where an api-key goes ({@code in}, {@code name}) and the header names
 * of a headers credential. Stored in clear beside the ciphertext so that lists never decrypt anything.
 */
public record CredentialShape(String in, String name, List<String> headerNames) {

    public static CredentialShape none() {
        return new CredentialShape(null, null, null);
    }
}
