package dev.flowline.connections;

import java.time.Instant;
import java.util.UUID;

/**
 * A token row to write: the id (chosen before encrypting, as it is part of the associated data), the ciphertexts
 * and what the provider said about them.
 */
public record NewUserOAuthToken(UUID id, UUID ownerUserId, String provider, String accountEmail,
                                String accessTokenEnc, String refreshTokenEnc, Instant expiresAt, String scopes) {

    @Override
    public String toString() {
        return "NewUserOAuthToken[" + id + ", " + provider + "]";
    }
}
