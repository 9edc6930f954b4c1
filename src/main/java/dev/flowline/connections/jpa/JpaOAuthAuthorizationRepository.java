package dev.flowline.connections.jpa;

import dev.flowline.connections.OAuthAuthorizationRepository;
import dev.flowline.connections.PendingAuthorization;
import dev.flowline.platform.persistence.SqlTimestamps;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** {@link OAuthAuthorizationRepository} on PostgreSQL: taking a state is one {@code DELETE ... RETURNING}. */
@Stateless
public class JpaOAuthAuthorizationRepository implements OAuthAuthorizationRepository {

    static final int MAX_PER_USER = 10;

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public void insert(String stateHash, PendingAuthorization authorization, Instant now) {
        em.createNativeQuery("""
                        INSERT INTO oauth_authorizations (state_hash, user_id, provider, code_verifier_enc, expires_at,
                            created_at, browser_nonce_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, CAST(?7 AS text))""")
                .setParameter(1, stateHash)
                .setParameter(2, authorization.userId())
                .setParameter(3, authorization.provider())
                .setParameter(4, authorization.codeVerifierEnc())
                .setParameter(5, SqlTimestamps.of(authorization.expiresAt()))
                .setParameter(6, SqlTimestamps.of(now))
                .setParameter(7, authorization.browserNonceHash())
                .executeUpdate();
        // A user keeps at most MAX_PER_USER authorizations in flight: older ones go, so repeated clicks cannot pile up rows.
        em.createNativeQuery("""
                        DELETE FROM oauth_authorizations WHERE user_id = ?1 AND state_hash NOT IN (
                            SELECT state_hash FROM oauth_authorizations WHERE user_id = ?1
                            ORDER BY created_at DESC, state_hash LIMIT ?2)""")
                .setParameter(1, authorization.userId())
                .setParameter(2, MAX_PER_USER)
                .executeUpdate();
    }

    @Override
    public Optional<PendingAuthorization> take(String stateHash) {
        return em.createNativeQuery("""
                        DELETE FROM oauth_authorizations WHERE state_hash = ?1
                        RETURNING user_id, provider, code_verifier_enc, expires_at, browser_nonce_hash""")
                .setParameter(1, stateHash)
                .getResultList().stream().findFirst().map(row -> {
                    Object[] r = (Object[]) row;
                    return new PendingAuthorization((UUID) r[0], (String) r[1], (String) r[2],
                            SqlTimestamps.toInstant(r[3]), (String) r[4]);
                });
    }

    @Override
    public int deleteExpired(Instant now, int limit) {
        return em.createNativeQuery("""
                        DELETE FROM oauth_authorizations WHERE state_hash IN (
                            SELECT state_hash FROM oauth_authorizations WHERE expires_at < ?1 LIMIT ?2
                            FOR UPDATE SKIP LOCKED)""")
                .setParameter(1, SqlTimestamps.of(now))
                .setParameter(2, limit)
                .executeUpdate();
    }
}
