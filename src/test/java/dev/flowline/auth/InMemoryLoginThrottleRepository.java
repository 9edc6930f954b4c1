package dev.flowline.auth;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** {@link LoginThrottleRepository} in memory: the same rules as the SQL upsert, under one lock. */
@Alternative
@Priority(1000)
@ApplicationScoped
public class InMemoryLoginThrottleRepository implements LoginThrottleRepository {

    private record Key(UUID userId, String clientAddress) {
    }

    private record Row(int failures, Instant blockedUntil, Instant updatedAt) {
    }

    private final Map<Key, Row> rows = new HashMap<>();

    @Override
    public synchronized LoginAttempt recordAttempt(UUID userId, String clientAddress, Instant now,
                                                   LoginThrottlePolicy policy) {
        Key key = new Key(userId, clientAddress);
        Row old = rows.get(key);
        boolean forgotten = old == null || old.updatedAt().isBefore(now.minus(policy.forgetAfter()));
        int failures = (forgotten ? 0 : old.failures()) + 1;
        boolean running = old != null && old.blockedUntil() != null && old.blockedUntil().isAfter(now);
        Instant blockedUntil = running ? old.blockedUntil() : policy.delayAfter(failures).map(now::plus).orElse(null);
        rows.put(key, new Row(failures, blockedUntil, now));
        return new LoginAttempt(!running, failures, blockedUntil);
    }

    @Override
    public synchronized void forget(UUID userId, String clientAddress) {
        rows.remove(new Key(userId, clientAddress));
    }

    @Override
    public synchronized void forgetAll(UUID userId) {
        rows.keySet().removeIf(key -> key.userId().equals(userId));
    }

    @Override
    public synchronized int deleteForgotten(Instant before, int limit) {
        int deleted = 0;
        for (var rows = this.rows.values().iterator(); rows.hasNext() && deleted < limit; ) {
            if (rows.next().updatedAt().isBefore(before)) {
                rows.remove();
                deleted++;
            }
        }
        return deleted;
    }
}
