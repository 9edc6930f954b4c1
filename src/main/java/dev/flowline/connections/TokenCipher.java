package dev.flowline.connections;

import dev.flowline.platform.crypto.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.UUID;

/**
 * Encrypts and opens a token row's values with {@link SecretBox}. The associated data is the row's identity (id,
 * owner, provider) and which of the two values it is, so a ciphertext copied into another row, another user's row,
 * or from the refresh column into the access column no longer decrypts.
 */
@ApplicationScoped
public class TokenCipher {

    @Inject
    SecretBox box;

    public String sealAccess(UUID tokenId, UUID ownerId, String provider, String accessToken) {
        return box.encrypt(accessToken, binding(tokenId, ownerId, provider, "access"));
    }

    public String sealRefresh(UUID tokenId, UUID ownerId, String provider, String refreshToken) {
        return refreshToken == null ? null : box.encrypt(refreshToken, binding(tokenId, ownerId, provider, "refresh"));
    }

    public String openAccess(StoredToken token) {
        return box.decrypt(token.accessTokenEnc(), binding(token.id(), token.ownerUserId(), token.provider(), "access"));
    }

    public String openRefresh(StoredToken token) {
        return token.refreshTokenEnc() == null ? null : box.decrypt(token.refreshTokenEnc(),
                binding(token.id(), token.ownerUserId(), token.provider(), "refresh"));
    }

    /** Whether both values are under the primary key already. */
    public boolean isCurrent(StoredToken token) {
        return box.isUnderPrimaryKey(token.accessTokenEnc())
                && (token.refreshTokenEnc() == null || box.isUnderPrimaryKey(token.refreshTokenEnc()));
    }

    public String primaryKeyId() {
        return box.primaryKeyId();
    }

    /** The PKCE verifier of an authorization in flight, bound to its state's hash. */
    public String sealVerifier(String stateHash, String verifier) {
        return box.encrypt(verifier, "oauth-authorization:" + stateHash);
    }

    public String openVerifier(String stateHash, String sealed) {
        return box.decrypt(sealed, "oauth-authorization:" + stateHash);
    }

    static String binding(UUID tokenId, UUID ownerId, String provider, String which) {
        return "user-oauth-token:" + tokenId + ":" + ownerId + ":" + provider + ":" + which;
    }
}
