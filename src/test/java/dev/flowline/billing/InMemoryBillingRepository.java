package dev.flowline.billing;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link BillingRepository} in memory, for service tests without a database; synchronized like the SQL is atomic. */
public class InMemoryBillingRepository implements BillingRepository {

    private final Map<String, String> events = new HashMap<>();
    private final Map<UUID, Subscription> subscriptions = new HashMap<>();
    /** The checkout slot per user, as the table's row: claim id, session id (or null), hold. */
    private final Map<UUID, Slot> checkouts = new HashMap<>();

    private record Slot(UUID claimId, String sessionId, Instant holdUntil) {
    }

    @Override
    public synchronized boolean recordEvent(String eventId, String type, Instant createdAt, Instant receivedAt) {
        return events.putIfAbsent(eventId, "RECEIVED") == null;
    }

    @Override
    public synchronized void setEventOutcome(String eventId, String outcome) {
        events.put(eventId, outcome);
    }

    @Override
    public void lockAccount(UUID userId) {
    }

    @Override
    public synchronized Optional<Subscription> findSubscription(UUID userId) {
        return Optional.ofNullable(subscriptions.get(userId));
    }

    @Override
    public synchronized void saveSubscription(Subscription subscription, Instant now) {
        subscriptions.put(subscription.userId(), subscription);
    }

    public synchronized Optional<String> outcome(String eventId) {
        return Optional.ofNullable(events.get(eventId));
    }

    @Override
    public synchronized Optional<CheckoutClaim> claimCheckout(UUID userId, UUID claimId, Instant now, Instant holdUntil) {
        if (subscriptions.containsKey(userId) && subscriptions.get(userId).paid()) {
            return Optional.empty();
        }
        Slot slot = checkouts.get(userId);
        if (slot != null && slot.sessionId() == null && !slot.holdUntil().isBefore(now)) {
            return Optional.empty();
        }
        checkouts.put(userId, new Slot(claimId, null, holdUntil));
        return Optional.of(new CheckoutClaim(slot == null ? null : slot.sessionId()));
    }

    @Override
    public synchronized boolean openCheckout(UUID userId, UUID claimId, String sessionId) {
        Slot slot = checkouts.get(userId);
        if (slot == null || !slot.claimId().equals(claimId)) {
            return false;
        }
        checkouts.put(userId, new Slot(claimId, sessionId, slot.holdUntil()));
        return true;
    }

    @Override
    public synchronized void releaseCheckout(UUID userId, UUID claimId) {
        checkouts.computeIfPresent(userId, (id, slot) -> slot.claimId().equals(claimId) ? null : slot);
    }

    @Override
    public synchronized void endCheckoutSession(String sessionId) {
        checkouts.values().removeIf(slot -> sessionId.equals(slot.sessionId()));
    }
}
