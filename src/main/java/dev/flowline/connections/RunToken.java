package dev.flowline.connections;

import java.util.Objects;

/**
 * A connection's access token as a run may send it: only to {@code apiOrigins}, the provider's API origins
 * ({@code flowline.oauth.<provider>.api-origins}; none when the provider left the configuration).
 */
public record RunToken(String accessToken, String provider, CredentialOrigins apiOrigins) {

    public RunToken {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(apiOrigins, "apiOrigins");
    }

    /** The setting that lists where this token may go, for messages. */
    public String originsSetting() {
        return "flowline.oauth." + provider + ".api-origins";
    }

    /** Never the token: an instance may end up in a log line. */
    @Override
    public String toString() {
        return "RunToken[" + provider + ", apiOrigins=" + apiOrigins + "]";
    }
}
