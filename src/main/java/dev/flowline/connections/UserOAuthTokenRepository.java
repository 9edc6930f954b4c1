package dev.flowline.connections;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Users' OAuth tokens ({@code user_oauth_tokens}). Personal tokens are the rows with {@code workspace_id IS NULL}:
 * every method named "personal" has that in its statement, so a workspace-scoped row never comes back through it.
 * Implemented by {@code connections.jpa.JpaUserOAuthTokenRepository}.
 */
public interface UserOAuthTokenRepository {

    /** The id of the caller's personal row for this provider account, locked for the update that follows. */
    Optional<UUID> lockPersonalForAccount(UUID ownerId, String provider, String accountEmail);

    /** Inserts a personal token; false when the same account was connected concurrently (nothing written). */
    boolean insertPersonal(NewUserOAuthToken token, Instant now);

    /** Replaces the values of an existing personal row (a reconnection): clears the re-authorization mark. */
    boolean replacePersonal(NewUserOAuthToken token, Instant now);

    List<Connection> listPersonal(UUID ownerId);

    Optional<Connection> findPersonal(UUID tokenId, UUID ownerId);

    /** The stored row, whoever owns it (the caller checks ownership and membership before opening it). */
    Optional<StoredToken> findStored(UUID tokenId);

    /** The stored row, locked until the transaction ends: refreshes of one token happen one after the other. */
    Optional<StoredToken> lockStored(UUID tokenId);

    boolean deletePersonal(UUID tokenId, UUID ownerId);

    /** After a refresh: new values, expiry and scopes; clears errors. */
    void updateTokens(UUID tokenId, String accessTokenEnc, String refreshTokenEnc, Instant expiresAt, String scopes,
                      Instant now);

    /** The provider refused the refresh token: only a new authorization helps. */
    void markNeedsReauthorization(UUID tokenId, String error, Instant now);

    /** A refresh failed for a passing reason (the provider unreachable); the token stays usable until it expires. */
    void recordError(UUID tokenId, String error, Instant now);

    /** Tokens with a refresh token, not marked for re-authorization, expiring before {@code before}. */
    List<UUID> findExpiring(Instant before, int limit);

    /** Rows with a value not under {@code primaryKeyId}, locked and skipped by other instances. */
    List<StoredToken> lockNotUnderKey(String primaryKeyId, int limit);

    void updateCiphertexts(UUID tokenId, String accessTokenEnc, String refreshTokenEnc);

    /** Sets {@code is_shared} of the owner's tokens from whether any workspace connection still uses them. */
    void recomputeShared(UUID ownerId);
}
