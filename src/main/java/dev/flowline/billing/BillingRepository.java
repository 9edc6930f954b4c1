package dev.flowline.billing;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Every persistent operation on subscriptions and on the log of Stripe events. Implemented by
 * {@code JpaBillingRepository} on PostgreSQL.
 */
public interface BillingRepository {

    /**
     * Records a Stripe event as received, in the caller's transaction; answers false when it was recorded before
     * (by an earlier delivery, or by a concurrent one that committed: the unique key makes this one wait for it).
     */
    boolean recordEvent(String eventId, String type, Instant createdAt, Instant receivedAt);

    /** What applying a recorded event did ({@code APPLIED}, {@code STALE}, {@code IGNORED}). */
    void setEventOutcome(String eventId, String outcome);

    /** Serialises billing changes of one user until the caller's transaction ends (events of one customer in order). */
    void lockAccount(UUID userId);

    Optional<Subscription> findSubscription(UUID userId);

    /** Inserts or replaces the user's subscription. */
    void saveSubscription(Subscription subscription, Instant now);
}
