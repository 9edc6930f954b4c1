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
}
