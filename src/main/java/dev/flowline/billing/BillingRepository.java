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

    /**
     * Claims the user's one checkout slot for {@code claimId}, atomically in the database: refused (empty) while the user has a
     * paid subscription or another checkout is being created (a claim without a session, until its
     * {@code holdUntil}); taken over from a checkout that has its session, whose id is then answered to be expired.
     */
    Optional<CheckoutClaim> claimCheckout(UUID userId, UUID claimId, Instant now, Instant holdUntil);

    /** Records the session of the claim; false when the claim is no longer the user's (it outlived its hold). */
    boolean openCheckout(UUID userId, UUID claimId, String sessionId);

    /** Frees the slot if {@code claimId} still holds it (its checkout failed). */
    void releaseCheckout(UUID userId, UUID claimId);

    /** Frees the slot of the checkout with this session (Stripe says it was completed or expired). */
    void endCheckoutSession(String sessionId);

    /** A claimed checkout slot; {@code previousSessionId} is the session it replaces, or null. */
    record CheckoutClaim(String previousSessionId) {
    }
}
