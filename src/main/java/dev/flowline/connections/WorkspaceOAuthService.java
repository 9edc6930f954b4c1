package dev.flowline.connections;

import dev.flowline.connections.ConnectionErrors.ConnectionNotFoundException;
import dev.flowline.connections.ConnectionErrors.NotYourConnectionException;
import dev.flowline.connections.ConnectionErrors.ProviderUnavailableException;
import dev.flowline.connections.ConnectionErrors.ReauthorizationRequiredException;
import dev.flowline.connections.ConnectionErrors.SharerNotMemberException;
import dev.flowline.workspaces.Workspace;
import dev.flowline.workspaces.WorkspaceRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The only way to a usable access token. Each call checks, in the database, that whoever the token belongs to may
 * use it here before anything is decrypted, and refreshes a token that expires within
 * {@code flowline.connections.refresh-margin-seconds} (through {@link TokenRefresher}, one refresh per token at a time).
 */
@ApplicationScoped
public class WorkspaceOAuthService {

    @Inject
    UserOAuthTokenRepository tokens;

    @Inject
    WorkspaceConnectionRepository shared;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    TokenRefresher refresher;

    @Inject
    OAuthProviders providers;

    @Inject
    TokenCipher cipher;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "flowline.connections.refresh-margin-seconds", defaultValue = "300")
    long refreshMarginSeconds;

    /**
     * The access token of one of the caller's personal connections.
     *
     * @throws NotYourConnectionException (403) for a token the caller does not own, that is not personal, or that
     *                                    does not exist (so ids reveal nothing)
     */
    public String loadToken(UUID callerUserId, UUID tokenId) {
        StoredToken token = tokens.findStored(tokenId)
                .filter(found -> found.ownerUserId().equals(callerUserId) && found.workspaceId() == null)
                .orElseThrow(NotYourConnectionException::new);
        return usable(token);
    }

    /**
     * The access token a run of {@code workspaceId} may send for {@code connectionId}: a connection shared into that
     * workspace by a member who still is one, or, in a personal workspace, one of its owner's personal connections;
     * with the origins it may be sent to.
     */
    public RunToken accessTokenForRun(UUID workspaceId, UUID connectionId) {
        Optional<SharedConnection> sharedHere = shared.findInWorkspace(workspaceId, connectionId);
        if (sharedHere.isPresent()) {
            SharedConnection connection = sharedHere.get();
            if (!workspaces.isMember(workspaceId, connection.ownerUserId())) {
                throw new SharerNotMemberException();
            }
            StoredToken token = tokens.findStored(connection.tokenId()).orElseThrow(ConnectionNotFoundException::new);
            return forRun(token, usable(token));
        }
        Workspace workspace = workspaces.findById(workspaceId).orElseThrow(ConnectionNotFoundException::new);
        if (!workspace.personal()) {
            throw new ConnectionNotFoundException();
        }
        UUID owner = workspaces.findOwner(workspaceId).orElseThrow(ConnectionNotFoundException::new);
        if (!workspaces.isMember(workspaceId, owner)) {
            throw new NotYourConnectionException();
        }
        StoredToken token = tokens.findStored(connectionId)
                .filter(found -> found.ownerUserId().equals(owner) && found.workspaceId() == null)
                .orElseThrow(ConnectionNotFoundException::new);
        return forRun(token, usable(token));
    }

    private RunToken forRun(StoredToken token, String accessToken) {
        return new RunToken(accessToken, token.provider(), providers.find(token.provider())
                .map(OAuthProvider::apiOrigins).orElse(CredentialOrigins.none()));
    }

    private String usable(StoredToken token) {
        if (token.needsReauthorization()) {
            throw new ReauthorizationRequiredException();
        }
        Instant threshold = clock.instant().plusSeconds(refreshMarginSeconds);
        if (token.expiresBefore(threshold) && token.refreshTokenEnc() != null) {
            TokenRefresher.Outcome outcome = refresher.refreshIfExpiringBefore(token.id(), threshold);
            switch (outcome.status()) {
                case GONE -> throw new ConnectionNotFoundException();
                case NEEDS_REAUTHORIZATION -> throw new ReauthorizationRequiredException();
                case UNAVAILABLE -> {
                    // The old token may still be good for a while; past its expiry only a later refresh helps.
                    if (token.expiresBefore(clock.instant())) {
                        throw new ProviderUnavailableException(outcome.error());
                    }
                }
                default -> token = outcome.token().orElseThrow();
            }
        }
        return cipher.openAccess(token);
    }
}
