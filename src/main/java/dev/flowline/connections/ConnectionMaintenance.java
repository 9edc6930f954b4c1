package dev.flowline.connections;

import dev.flowline.platform.crypto.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The background side of connections, one tick at a time (the engine's job calls it on every instance):
 * refreshes tokens before they expire, moves values encrypted under an older key to the primary key (tokens and
 * credentials alike), and drops authorization requests nobody came back for.
 */
@ApplicationScoped
public class ConnectionMaintenance {

    static final int BATCH = 100;
    private static final Logger LOG = Logger.getLogger(ConnectionMaintenance.class.getName());

    @Inject
    UserOAuthTokenRepository tokens;

    @Inject
    OAuthAuthorizationRepository authorizations;

    @Inject
    TokenRefresher refresher;

    @Inject
    TokenCipher cipher;

    @Inject
    UserCredentialRepository credentials;

    @Inject
    CredentialCipher credentialCipher;

    @Inject
    Clock clock;

    /** Refreshes every token expiring before {@code now + ahead}; each in its own transaction, under its lock. */
    public int refreshExpiring(long aheadSeconds) {
        Instant threshold = clock.instant().plusSeconds(aheadSeconds);
        List<UUID> expiring = tokens.findExpiring(threshold, BATCH);
        int refreshed = 0;
        for (UUID tokenId : expiring) {
            if (refresher.refreshIfExpiringBefore(tokenId, threshold).status()
                    == TokenRefresher.Outcome.Status.REFRESHED) {
                refreshed++;
            }
        }
        return refreshed;
    }

    /**
     * Re-encrypts one batch of tokens and one of credentials under the primary key; rows other instances hold are
     * skipped. Answers how many values were renewed (the caller repeats until none is).
     */
    @Transactional
    public int reencryptBatch() {
        List<StoredToken> stale = tokens.lockNotUnderKey(cipher.primaryKeyId(), BATCH);
        int renewed = 0;
        for (StoredToken token : stale) {
            try {
                tokens.updateCiphertexts(token.id(),
                        cipher.sealAccess(token.id(), token.ownerUserId(), token.provider(), cipher.openAccess(token)),
                        cipher.sealRefresh(token.id(), token.ownerUserId(), token.provider(), cipher.openRefresh(token)));
                renewed++;
            } catch (SecretBox.DecryptionFailedException e) {
                // Its key is gone (removed before this job finished): nothing here can read it; the user reconnects.
                LOG.warning(() -> "OAuth token " + token.id() + " cannot be re-encrypted: " + e.getMessage());
            }
        }
        for (StoredCredential credential : credentials.lockNotUnderKey(credentialCipher.primaryKeyId(), BATCH)) {
            try {
                credentials.updateCiphertext(credential.id(), credentialCipher.seal(credential.id(),
                        credential.ownerUserId(), credential.kind(), credentialCipher.open(credential)));
                renewed++;
            } catch (SecretBox.DecryptionFailedException e) {
                // As for tokens: its key is gone; the owner replaces the secret.
                LOG.warning(() -> "Credential " + credential.id() + " cannot be re-encrypted: " + e.getMessage());
            }
        }
        return renewed;
    }

    @Transactional
    public int deleteExpiredAuthorizations() {
        return authorizations.deleteExpired(clock.instant(), 1000);
    }
}
