package dev.flowline.auth.jpa;

import dev.flowline.auth.LoginAttempt;
import dev.flowline.auth.LoginThrottlePolicy;
import dev.flowline.auth.LoginThrottleRepository;
import dev.flowline.platform.persistence.SqlTimestamps;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.UUID;

/** {@link LoginThrottleRepository} on PostgreSQL. */
@Stateless
public class JpaLoginThrottleRepository implements LoginThrottleRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    /**
     * One upsert counts the attempt and decides it. SET expressions read the row as it was before this statement
     * ({@code t.*}), so {@code last_admitted} records whether a delay was running when this attempt arrived; the row
     * lock serialises concurrent attempts, each seeing the previous one's count. Committed in a transaction of its
     * own, so the count stands whatever the login does next and the row lock is not held while the password hashes.
     * The delay is {@link LoginThrottlePolicy#delayAfter} in SQL: first * 2^(failures - free), at most max.
     */
    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public LoginAttempt recordAttempt(UUID userId, String clientAddress, Instant now, LoginThrottlePolicy policy) {
        // ?7: attempts last counted before it are forgotten (the count starts again)
        Object[] row = (Object[]) em.createNativeQuery("""
                        INSERT INTO login_throttles AS t
                               (user_id, client_address, failures, blocked_until, last_admitted, updated_at)
                        VALUES (?1, ?2, 1,
                                CASE WHEN ?4 <= 1 THEN CAST(?3 AS timestamptz) + make_interval(secs => LEAST(?6, ?5)) END,
                                true, ?3)
                        ON CONFLICT (user_id, client_address) DO UPDATE SET
                            failures = CASE WHEN t.updated_at < ?7 THEN 0 ELSE t.failures END + 1,
                            last_admitted = t.blocked_until IS NULL OR t.blocked_until <= ?3,
                            blocked_until = CASE
                                WHEN t.blocked_until > ?3 THEN t.blocked_until
                                WHEN CASE WHEN t.updated_at < ?7 THEN 0 ELSE t.failures END + 1 >= ?4
                                THEN CAST(?3 AS timestamptz) + make_interval(secs => LEAST(?6, ?5 * power(2,
                                        LEAST(CASE WHEN t.updated_at < ?7 THEN 0 ELSE t.failures END + 1 - ?4, 30))))
                            END,
                            updated_at = ?3
                        RETURNING last_admitted, failures, blocked_until""")
                .setParameter(1, userId)
                .setParameter(2, clientAddress)
                .setParameter(3, SqlTimestamps.of(now))
                .setParameter(4, policy.freeFailures())
                .setParameter(5, policy.firstDelay().toMillis() / 1000.0)
                .setParameter(6, policy.maxDelay().toMillis() / 1000.0)
                .setParameter(7, SqlTimestamps.of(now.minus(policy.forgetAfter())))
                .getSingleResult();
        return new LoginAttempt((Boolean) row[0], ((Number) row[1]).intValue(), SqlTimestamps.toInstant(row[2]));
    }

    @Override
    public void forget(UUID userId, String clientAddress) {
        em.createNamedQuery(LoginThrottleEntity.FORGET)
                .setParameter("userId", userId)
                .setParameter("clientAddress", clientAddress)
                .executeUpdate();
    }

    @Override
    public void forgetAll(UUID userId) {
        em.createNamedQuery(LoginThrottleEntity.FORGET_ALL).setParameter("userId", userId).executeUpdate();
    }

    @Override
    public int deleteForgotten(Instant before, int limit) {
        return em.createNativeQuery("""
                        DELETE FROM login_throttles WHERE (user_id, client_address) IN (
                            SELECT user_id, client_address FROM login_throttles WHERE updated_at < ?1
                            LIMIT ?2 FOR UPDATE SKIP LOCKED)""")
                .setParameter(1, SqlTimestamps.of(before))
                .setParameter(2, limit)
                .executeUpdate();
    }
}
