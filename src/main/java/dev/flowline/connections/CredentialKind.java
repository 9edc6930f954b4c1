package dev.flowline.connections;

import java.util.Arrays;
import java.util.Optional;

/** What a credential that is not OAuth sends; each kind has its own fields (see {@link CredentialSecret}). */
public enum CredentialKind {
    /** A key in a header or a query parameter: {@code in}, {@code name}, {@code value}. */
    API_KEY("api-key"),
    /** {@code Authorization: Bearer <token>}. */
    BEARER("bearer"),
    /** {@code Authorization: Basic base64(username:password)} (RFC 7617, UTF-8). */
    BASIC("basic"),
    /** A few headers of the owner's choice (1 to {@link CredentialSecret#MAX_HEADERS}). */
    HEADERS("headers");

    private final String wireName;

    CredentialKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the API and in the database ({@code api-key}, {@code bearer}, {@code basic}, {@code headers}). */
    public String wireName() {
        return wireName;
    }

    public static Optional<CredentialKind> fromWire(String name) {
        return Arrays.stream(values()).filter(kind -> kind.wireName.equals(name)).findFirst();
    }

    /** The wire names, comma-separated, for error messages. */
    public static String wireNames() {
        return String.join(", ", Arrays.stream(values()).map(CredentialKind::wireName).toList());
    }
}
