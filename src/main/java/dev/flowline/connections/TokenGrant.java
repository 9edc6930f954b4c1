package dev.flowline.connections;

import java.time.Instant;
import java.util.Optional;

/**
 * What a provider's token endpoint answered. A refresh answer without a refresh token keeps the old one (RFC 6749
 * section 6: the provider MAY issue a new one). {@code scopes}: the granted scopes, space-separated; when the answer
 * names none, those requested for a new authorization, and empty (the stored ones stay) for a refresh.
 */
public record TokenGrant(String accessToken, Optional<String> refreshToken, Optional<Instant> expiresAt,
                         String scopes) {

    @Override
    public String toString() {
        return "TokenGrant[expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
    }
}
