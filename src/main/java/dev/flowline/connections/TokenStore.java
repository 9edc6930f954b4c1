package dev.flowline.connections;

import dev.flowline.connections.ConnectionErrors.ConnectionNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes a newly authorized token as the user's personal connection, in one transaction: connecting an account
 * again replaces the values of its row (its id, so its shares, stay), otherwise a new row is inserted. The row id
 * is settled before encrypting because it is part of the associated data.
 */
@ApplicationScoped
@Transactional
public class TokenStore {

    @Inject
    UserOAuthTokenRepository tokens;

    @Inject
    TokenCipher cipher;

    @Inject
    Event<ConnectionActivity> activity;

    @Inject
    Clock clock;

    public Connection storePersonal(UUID userId, String provider, String accountEmail, TokenGrant grant) {
        Instant now = clock.instant();
        // Twice at most: a concurrent first connection of the same account makes the insert a no-op, and its row is
        // then found (and locked) on the second pass.
        for (int pass = 0; pass < 2; pass++) {
            Optional<UUID> existing = tokens.lockPersonalForAccount(userId, provider, accountEmail);
            UUID id = existing.orElseGet(UUID::randomUUID);
            NewUserOAuthToken token = new NewUserOAuthToken(id, userId, provider, accountEmail,
                    cipher.sealAccess(id, userId, provider, grant.accessToken()),
                    cipher.sealRefresh(id, userId, provider, grant.refreshToken().orElse(null)),
                    grant.expiresAt().orElse(null), grant.scopes());
            boolean written = existing.isPresent() ? tokens.replacePersonal(token, now) : tokens.insertPersonal(token, now);
            if (written) {
                Connection connection = tokens.findPersonal(id, userId).orElseThrow();
                activity.fire(ConnectionActivity.connected(userId, connection, existing.isPresent()));
                return connection;
            }
        }
        throw new IllegalStateException("The connection could not be stored after a concurrent change; try again");
    }

    /** Deletes a personal connection (and its workspace shares) with its audit event, in one transaction. */
    public void deletePersonal(UUID userId, UUID tokenId, String provider) {
        if (!tokens.deletePersonal(tokenId, userId)) {
            throw new ConnectionNotFoundException();
        }
        activity.fire(ConnectionActivity.disconnected(userId, tokenId, provider));
    }
}
