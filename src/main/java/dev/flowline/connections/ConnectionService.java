package dev.flowline.connections;

import dev.flowline.connections.ConnectionErrors.ConnectionNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/** A user's own connections: listing them and disconnecting one. */
@ApplicationScoped
public class ConnectionService {

    private static final Logger LOG = Logger.getLogger(ConnectionService.class.getName());

    @Inject
    UserOAuthTokenRepository tokens;

    @Inject
    OAuthProviders providers;

    @Inject
    OAuthClient client;

    @Inject
    TokenCipher cipher;

    @Inject
    TokenStore store;

    @Transactional
    public List<Connection> listMine(UUID userId) {
        return tokens.listPersonal(userId);
    }

    /**
     * Revokes the tokens at the provider when it has a revocation endpoint (best effort: a provider that is down
     * must not keep the user from disconnecting), then deletes the connection and the workspace connections made
     * from it.
     */
    public void disconnect(UUID userId, UUID tokenId) {
        StoredToken token = tokens.findStored(tokenId)
                .filter(found -> found.ownerUserId().equals(userId) && found.workspaceId() == null)
                .orElseThrow(ConnectionNotFoundException::new);
        providers.find(token.provider()).ifPresent(provider -> {
            boolean revoked = token.refreshTokenEnc() != null
                    ? client.revoke(provider, cipher.openRefresh(token), "refresh_token")
                    : client.revoke(provider, cipher.openAccess(token), "access_token");
            if (!revoked && provider.revocationUrl().isPresent()) {
                LOG.warning(() -> "Could not revoke OAuth token " + tokenId + " at " + provider.name()
                        + "; deleted locally");
            }
        });
        store.deletePersonal(userId, tokenId, token.provider());
    }
}
