package dev.flowline.connections.jpa;

import dev.flowline.connections.Connection;
import dev.flowline.connections.NewUserOAuthToken;
import dev.flowline.connections.StoredToken;
import dev.flowline.connections.UserOAuthTokenRepository;
import dev.flowline.platform.persistence.SqlTimestamps;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link UserOAuthTokenRepository} on PostgreSQL, in native SQL: the statements lock rows ({@code FOR UPDATE},
 * {@code SKIP LOCKED}) and upsert, and every personal one says {@code workspace_id IS NULL} itself.
 */
@Stateless
public class JpaUserOAuthTokenRepository implements UserOAuthTokenRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public Optional<UUID> lockPersonalForAccount(UUID ownerId, String provider, String accountEmail) {
        List<?> ids = em.createNativeQuery("""
                        SELECT id FROM user_oauth_tokens
                        WHERE owner_user_id = ?1 AND provider = ?2 AND workspace_id IS NULL
                          AND lower(coalesce(account_email, '')) = lower(coalesce(CAST(?3 AS text), ''))
                        FOR UPDATE""")
                .setParameter(1, ownerId)
                .setParameter(2, provider)
                .setParameter(3, accountEmail)
                .getResultList();
        return ids.stream().findFirst().map(UUID.class::cast);
    }

    @Override
    public boolean insertPersonal(NewUserOAuthToken token, Instant now) {
        return em.createNativeQuery("""
                        INSERT INTO user_oauth_tokens (id, owner_user_id, provider, account_email, access_token_enc,
                            refresh_token_enc, expires_at, scopes, workspace_id, is_shared, created_at, updated_at,
                            refreshed_at)
                        VALUES (?1, ?2, ?3, CAST(?4 AS text), ?5, CAST(?6 AS text), CAST(?7 AS timestamptz), ?8, NULL,
                            false, ?9, ?9, ?9)
                        ON CONFLICT (owner_user_id, provider, lower(coalesce(account_email, '')))
                            WHERE workspace_id IS NULL DO NOTHING""")
                .setParameter(1, token.id())
                .setParameter(2, token.ownerUserId())
                .setParameter(3, token.provider())
                .setParameter(4, token.accountEmail())
                .setParameter(5, token.accessTokenEnc())
                .setParameter(6, token.refreshTokenEnc())
                .setParameter(7, SqlTimestamps.of(token.expiresAt()))
                .setParameter(8, token.scopes())
                .setParameter(9, SqlTimestamps.of(now))
                .executeUpdate() == 1;
    }

    @Override
    public boolean replacePersonal(NewUserOAuthToken token, Instant now) {
        // A reconnection that brings no refresh token keeps the stored one (providers hand it out once).
        return em.createNativeQuery("""
                        UPDATE user_oauth_tokens SET access_token_enc = ?3,
                            refresh_token_enc = coalesce(CAST(?4 AS text), refresh_token_enc),
                            expires_at = CAST(?5 AS timestamptz), scopes = ?6, needs_reauthorization = false,
                            last_error = NULL, last_error_at = NULL, refreshed_at = ?7, updated_at = ?7
                        WHERE id = ?1 AND owner_user_id = ?2 AND workspace_id IS NULL""")
                .setParameter(1, token.id())
                .setParameter(2, token.ownerUserId())
                .setParameter(3, token.accessTokenEnc())
                .setParameter(4, token.refreshTokenEnc())
                .setParameter(5, SqlTimestamps.of(token.expiresAt()))
                .setParameter(6, token.scopes())
                .setParameter(7, SqlTimestamps.of(now))
                .executeUpdate() == 1;
    }

    @Override
    public List<Connection> listPersonal(UUID ownerId) {
        return em.createNativeQuery("SELECT " + TokenRows.CONNECTION_COLUMNS + """
                         FROM user_oauth_tokens t
                        WHERE t.owner_user_id = ?1 AND t.workspace_id IS NULL
                        ORDER BY t.provider, t.account_email, t.id""")
                .setParameter(1, ownerId)
                .getResultList().stream().map(TokenRows::connection).toList();
    }

    @Override
    public Optional<Connection> findPersonal(UUID tokenId, UUID ownerId) {
        return em.createNativeQuery("SELECT " + TokenRows.CONNECTION_COLUMNS + """
                         FROM user_oauth_tokens t
                        WHERE t.id = ?1 AND t.owner_user_id = ?2 AND t.workspace_id IS NULL""")
                .setParameter(1, tokenId)
                .setParameter(2, ownerId)
                .getResultList().stream().findFirst().map(TokenRows::connection);
    }

    @Override
    public Optional<StoredToken> findStored(UUID tokenId) {
        return em.createNativeQuery("SELECT " + TokenRows.STORED_COLUMNS + " FROM user_oauth_tokens t WHERE t.id = ?1")
                .setParameter(1, tokenId)
                .getResultList().stream().findFirst().map(TokenRows::stored);
    }

    @Override
    public Optional<StoredToken> lockStored(UUID tokenId) {
        return em.createNativeQuery("SELECT " + TokenRows.STORED_COLUMNS
                        + " FROM user_oauth_tokens t WHERE t.id = ?1 FOR UPDATE")
                .setParameter(1, tokenId)
                .getResultList().stream().findFirst().map(TokenRows::stored);
    }

    @Override
    public boolean deletePersonal(UUID tokenId, UUID ownerId) {
        // Its workspace connections go with it (ON DELETE CASCADE).
        return em.createNativeQuery("""
                        DELETE FROM user_oauth_tokens WHERE id = ?1 AND owner_user_id = ?2 AND workspace_id IS NULL""")
                .setParameter(1, tokenId)
                .setParameter(2, ownerId)
                .executeUpdate() == 1;
    }

    @Override
    public void updateTokens(UUID tokenId, String accessTokenEnc, String refreshTokenEnc, Instant expiresAt,
                             String scopes, Instant now) {
        em.createNativeQuery("""
                        UPDATE user_oauth_tokens SET access_token_enc = ?2, refresh_token_enc = CAST(?3 AS text),
                            expires_at = CAST(?4 AS timestamptz), scopes = CASE WHEN ?5 = '' THEN scopes ELSE ?5 END,
                            needs_reauthorization = false, last_error = NULL, last_error_at = NULL,
                            refreshed_at = ?6, updated_at = ?6
                        WHERE id = ?1""")
                .setParameter(1, tokenId)
                .setParameter(2, accessTokenEnc)
                .setParameter(3, refreshTokenEnc)
                .setParameter(4, SqlTimestamps.of(expiresAt))
                .setParameter(5, scopes)
                .setParameter(6, SqlTimestamps.of(now))
                .executeUpdate();
    }

    @Override
    public void markNeedsReauthorization(UUID tokenId, String error, Instant now) {
        em.createNativeQuery("""
                        UPDATE user_oauth_tokens SET needs_reauthorization = true, last_error = ?2, last_error_at = ?3,
                            updated_at = ?3
                        WHERE id = ?1""")
                .setParameter(1, tokenId)
                .setParameter(2, error)
                .setParameter(3, SqlTimestamps.of(now))
                .executeUpdate();
    }

    @Override
    public void recordError(UUID tokenId, String error, Instant now) {
        em.createNativeQuery("""
                        UPDATE user_oauth_tokens SET last_error = ?2, last_error_at = ?3, updated_at = ?3 WHERE id = ?1""")
                .setParameter(1, tokenId)
                .setParameter(2, error)
                .setParameter(3, SqlTimestamps.of(now))
                .executeUpdate();
    }

    @Override
    public List<UUID> findExpiring(Instant before, int limit) {
        return em.createNativeQuery("""
                        SELECT id FROM user_oauth_tokens
                        WHERE expires_at < ?1 AND refresh_token_enc IS NOT NULL AND NOT needs_reauthorization
                        ORDER BY expires_at LIMIT ?2""")
                .setParameter(1, SqlTimestamps.of(before))
                .setParameter(2, limit)
                .getResultList().stream().map(UUID.class::cast).toList();
    }

    @Override
    public List<StoredToken> lockNotUnderKey(String primaryKeyId, int limit) {
        String prefix = "v1:" + primaryKeyId + ":%";
        return em.createNativeQuery("SELECT " + TokenRows.STORED_COLUMNS + """
                         FROM user_oauth_tokens t
                        WHERE t.access_token_enc NOT LIKE ?1
                           OR (t.refresh_token_enc IS NOT NULL AND t.refresh_token_enc NOT LIKE ?1)
                        ORDER BY t.id LIMIT ?2 FOR UPDATE SKIP LOCKED""")
                .setParameter(1, prefix)
                .setParameter(2, limit)
                .getResultList().stream().map(TokenRows::stored).toList();
    }

    @Override
    public void updateCiphertexts(UUID tokenId, String accessTokenEnc, String refreshTokenEnc) {
        em.createNativeQuery("""
                        UPDATE user_oauth_tokens SET access_token_enc = ?2, refresh_token_enc = CAST(?3 AS text)
                        WHERE id = ?1""")
                .setParameter(1, tokenId)
                .setParameter(2, accessTokenEnc)
                .setParameter(3, refreshTokenEnc)
                .executeUpdate();
    }

    @Override
    public void recomputeShared(UUID ownerId) {
        em.createNativeQuery("""
                        UPDATE user_oauth_tokens t SET is_shared = EXISTS (
                            SELECT 1 FROM workspace_connections c WHERE c.user_oauth_token_id = t.id)
                        WHERE t.owner_user_id = ?1 AND t.is_shared IS DISTINCT FROM EXISTS (
                            SELECT 1 FROM workspace_connections c WHERE c.user_oauth_token_id = t.id)""")
                .setParameter(1, ownerId)
                .executeUpdate();
    }
}
