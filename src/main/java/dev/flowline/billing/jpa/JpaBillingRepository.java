package dev.flowline.billing.jpa;

import dev.flowline.billing.BillingRepository;
import dev.flowline.billing.Subscription;
import dev.flowline.platform.persistence.SqlTimestamps;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link BillingRepository} on PostgreSQL. Native SQL where PostgreSQL is needed, each covered by
 * {@code BillingApiIT}: the event log insert ({@code ON CONFLICT DO NOTHING}: a concurrent delivery of the same event
 * waits on the primary key for the first one's commit, then finds it), the subscription upsert, the per-user
 * advisory lock, and the checkout slot (one row per user: locked, then claimed by an upsert, in one transaction).
 */
@Stateless
public class JpaBillingRepository implements BillingRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public boolean recordEvent(String eventId, String type, Instant createdAt, Instant receivedAt) {
        return em.createNativeQuery("""
                        INSERT INTO stripe_event_log (event_id, event_type, created_at, received_at, outcome)
                        VALUES (?1, ?2, ?3, ?4, 'RECEIVED')
                        ON CONFLICT (event_id) DO NOTHING""")
                .setParameter(1, eventId)
                .setParameter(2, type)
                .setParameter(3, SqlTimestamps.of(createdAt))
                .setParameter(4, SqlTimestamps.of(receivedAt))
                .executeUpdate() == 1;
    }

    @Override
    public void setEventOutcome(String eventId, String outcome) {
        em.createNativeQuery("UPDATE stripe_event_log SET outcome = ?1 WHERE event_id = ?2")
                .setParameter(1, outcome)
                .setParameter(2, eventId)
                .executeUpdate();
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void lockAccount(UUID userId) {
        em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 20261130))) AS locked")
                .setParameter(1, "billing:" + userId)
                .getResultList();
    }

    @Override
    public Optional<Subscription> findSubscription(UUID userId) {
        return em.createNamedQuery(BillingSubscriptionEntity.FIND_BY_USER, Object[].class)
                .setParameter("userId", userId)
                .getResultStream()
                .findFirst()
                .map(BillingSubscriptionEntity::toSubscription);
    }

    @Override
    public void saveSubscription(Subscription s, Instant now) {
        em.createNativeQuery("""
                        INSERT INTO billing_subscriptions (user_id, stripe_subscription_id, status, paid,
                            current_period_start, current_period_end, overage_item_id, last_event_at, updated_at)
                        VALUES (?1, ?2, ?3, ?4, CAST(?5 AS timestamptz), CAST(?6 AS timestamptz), CAST(?7 AS text), ?8, ?9)
                        ON CONFLICT (user_id) DO UPDATE SET
                            stripe_subscription_id = EXCLUDED.stripe_subscription_id, status = EXCLUDED.status,
                            paid = EXCLUDED.paid, current_period_start = EXCLUDED.current_period_start,
                            current_period_end = EXCLUDED.current_period_end, overage_item_id = EXCLUDED.overage_item_id,
                            last_event_at = EXCLUDED.last_event_at, updated_at = EXCLUDED.updated_at""")
                .setParameter(1, s.userId())
                .setParameter(2, s.stripeSubscriptionId())
                .setParameter(3, s.status())
                .setParameter(4, s.paid())
                .setParameter(5, s.currentPeriod() == null ? null : SqlTimestamps.of(s.currentPeriod().start()))
                .setParameter(6, s.currentPeriod() == null ? null : SqlTimestamps.of(s.currentPeriod().end()))
                .setParameter(7, s.overageItemId())
                .setParameter(8, SqlTimestamps.of(s.lastEventAt()))
                .setParameter(9, SqlTimestamps.of(now))
                .executeUpdate();
    }

    @Override
    public Optional<CheckoutClaim> claimCheckout(UUID userId, UUID claimId, Instant now, Instant holdUntil) {
        // In one transaction: lock the slot (concurrent claims queue here and each sees the one before it), then take
        // it only from a checkout with a session or a claim past its hold. Two statements, because a CTE that reads
        // the row the same statement's upsert changes runs after it and no longer sees the old version.
        List<?> previous = em.createNativeQuery("SELECT session_id FROM billing_checkouts WHERE user_id = ?1 FOR UPDATE")
                .setParameter(1, userId)
                .getResultList();
        int claimed = em.createNativeQuery("""
                        INSERT INTO billing_checkouts (user_id, claim_id, session_id, claimed_at, hold_until)
                        SELECT ?1, ?2, NULL, ?3, ?4
                        WHERE NOT EXISTS (SELECT 1 FROM billing_subscriptions WHERE user_id = ?1 AND paid)
                        ON CONFLICT (user_id) DO UPDATE SET claim_id = EXCLUDED.claim_id, session_id = NULL,
                            claimed_at = EXCLUDED.claimed_at, hold_until = EXCLUDED.hold_until
                        WHERE billing_checkouts.session_id IS NOT NULL
                           OR billing_checkouts.hold_until < EXCLUDED.claimed_at""")
                .setParameter(1, userId)
                .setParameter(2, claimId)
                .setParameter(3, SqlTimestamps.of(now))
                .setParameter(4, SqlTimestamps.of(holdUntil))
                .executeUpdate();
        return claimed == 1 ? Optional.of(new CheckoutClaim(previous.isEmpty() ? null : (String) previous.get(0)))
                : Optional.empty();
    }

    @Override
    public boolean openCheckout(UUID userId, UUID claimId, String sessionId) {
        return em.createNativeQuery("UPDATE billing_checkouts SET session_id = ?3 WHERE user_id = ?1 AND claim_id = ?2")
                .setParameter(1, userId)
                .setParameter(2, claimId)
                .setParameter(3, sessionId)
                .executeUpdate() == 1;
    }

    @Override
    public void releaseCheckout(UUID userId, UUID claimId) {
        em.createNativeQuery("DELETE FROM billing_checkouts WHERE user_id = ?1 AND claim_id = ?2")
                .setParameter(1, userId)
                .setParameter(2, claimId)
                .executeUpdate();
    }

    @Override
    public void endCheckoutSession(String sessionId) {
        em.createNativeQuery("DELETE FROM billing_checkouts WHERE session_id = ?1")
                .setParameter(1, sessionId)
                .executeUpdate();
    }
}
