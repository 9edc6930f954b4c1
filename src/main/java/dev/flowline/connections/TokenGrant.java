package dev.flowline.connections;

import java.time.Instant;
import java.util.Optional;

/**
 * What a provider's token endpoint answered. A refresh answer without a refresh token keeps the old one (RFC 6749
 * section 6: the provider MAY issue a new one).
 */
public record TokenGrant(String accessToken, Optional<String> refreshToken, Optional<Instant> expiresAt,
                         String scopes) {

    @Override
    public String toString() {
        return "TokenGrant[expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
    }
}
