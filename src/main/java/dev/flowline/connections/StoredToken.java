package dev.flowline.connections;

import java.time.Instant;
import java.util.UUID;

/** A token row as stored: the ciphertexts, for {@link TokenCipher} to open. Never leaves this area's services. */
public record StoredToken(UUID id, UUID ownerUserId, String provider, UUID workspaceId, String accessTokenEnc,
                          String refreshTokenEnc, Instant expiresAt, boolean needsReauthorization) {

    public boolean expiresBefore(Instant moment) {
        return expiresAt != null && expiresAt.isBefore(moment);
    }

    @Override
    public String toString() {
        return "StoredToken[" + id + ", " + provider + ", expiresAt=" + expiresAt + "]";
    }
}
