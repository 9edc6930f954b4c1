package dev.flowline.connections;

import dev.flowline.connections.ConnectionErrors.GrantRejectedException;
import dev.flowline.connections.ConnectionErrors.ProviderUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Refreshes one token with its refresh token, holding the row's lock from before the expiry check until the new
 * values are written: two callers wanting the same token refreshed at once make one refresh, and the second, once
 * it has the lock, finds the token fresh and uses it. Matters because many providers rotate refresh tokens (the old
 * one dies at the first use): two parallel refreshes would leave one caller with a dead token.
 *
 * <p>The outcome is written, not thrown, in its own transaction: a refused refresh marks the connection as needing
 * re-authorization (the API shows it), a passing failure records the error, and both stay recorded.
 */
@ApplicationScoped
public class TokenRefresher {

    private static final Logger LOG = Logger.getLogger(TokenRefresher.class.getName());

    @Inject
    UserOAuthTokenRepository tokens;

    @Inject
    OAuthProviders providers;

    @Inject
    OAuthClient client;

    @Inject
    TokenCipher cipher;

    @Inject
    Clock clock;

    /** What became of a refresh; {@code token} is the row as it now stands (absent when the row is gone). */
    public record Outcome(Optional<StoredToken> token, Status status, String error) {
        public enum Status { FRESH, REFRESHED, NEEDS_REAUTHORIZATION, UNAVAILABLE, GONE }
    }

    /** Refreshes the token unless it no longer expires before {@code threshold} once its lock is held. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Outcome refreshIfExpiringBefore(UUID tokenId, Instant threshold) {
        Optional<StoredToken> locked = tokens.lockStored(tokenId);
        if (locked.isEmpty()) {
            return new Outcome(Optional.empty(), Outcome.Status.GONE, null);
        }
        StoredToken token = locked.get();
        if (token.needsReauthorization()) {
            return new Outcome(locked, Outcome.Status.NEEDS_REAUTHORIZATION, null);
        }
        if (!token.expiresBefore(threshold) || token.refreshTokenEnc() == null) {
            return new Outcome(locked, Outcome.Status.FRESH, null);
        }
        Instant now = clock.instant();
        Optional<OAuthProvider> provider = providers.find(token.provider());
        if (provider.isEmpty()) {
            String error = "The provider '" + token.provider() + "' is no longer configured.";
            tokens.recordError(tokenId, error, now);
            return new Outcome(locked, Outcome.Status.UNAVAILABLE, error);
        }
        try {
            TokenGrant grant = client.refresh(provider.get(), cipher.openRefresh(token), now);
            String access = cipher.sealAccess(token.id(), token.ownerUserId(), token.provider(), grant.accessToken());
            String refresh = grant.refreshToken().map(value ->
                    cipher.sealRefresh(token.id(), token.ownerUserId(), token.provider(), value))
                    .orElse(token.refreshTokenEnc());
            Instant expiresAt = grant.expiresAt().orElse(null);
            tokens.updateTokens(tokenId, access, refresh, expiresAt, grant.scopes(), now);
            LOG.fine(() -> "Refreshed OAuth token " + tokenId + " (" + token.provider() + ")");
            return new Outcome(Optional.of(new StoredToken(token.id(), token.ownerUserId(), token.provider(),
                    token.workspaceId(), access, refresh, expiresAt, false)), Outcome.Status.REFRESHED, null);
        } catch (GrantRejectedException e) {
            tokens.markNeedsReauthorization(tokenId, e.detail(), now);
            LOG.info(() -> "OAuth token " + tokenId + " (" + token.provider() + ") needs re-authorization: "
                    + e.detail());
            return new Outcome(locked, Outcome.Status.NEEDS_REAUTHORIZATION, e.detail());
        } catch (ProviderUnavailableException e) {
            tokens.recordError(tokenId, e.detail(), now);
            LOG.warning(() -> "OAuth token " + tokenId + " could not be refreshed: " + e.detail());
            return new Outcome(locked, Outcome.Status.UNAVAILABLE, e.detail());
        }
    }
}
