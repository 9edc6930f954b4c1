package dev.flowline.triggers;

import dev.flowline.triggers.WebhookDelivery.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deliveries refused for their signature or timestamp, tallied in memory per webhook and outcome and written to the
 * delivery log as one entry per tally by {@link #flush()} (the engine calls it every few seconds and at shutdown).
 * Anyone can send such requests: written one row each, a flood would bury the real deliveries in the log, grow the
 * table, and make every refusal a write that competes with accepted deliveries for the database. What a crash loses
 * is the count of the last few seconds' refused requests, none of which was accepted.
 */
@ApplicationScoped
public class RefusedDeliveries {

    @Inject
    WebhookDeliveryRepository deliveries;

    private record Key(UUID workflowId, Outcome outcome) {
    }

    /** How many were refused since the last flush, and the last one's delivery id, size and time. */
    private record Tally(int repeats, String lastDeliveryId, int lastBodyBytes, Instant lastAt) {
        Tally and(Tally next) {
            return new Tally(repeats + next.repeats, next.lastDeliveryId, next.lastBodyBytes, next.lastAt);
        }
    }

    private final Map<Key, Tally> tallies = new ConcurrentHashMap<>();

    /** Counts one refused delivery; written at the next {@link #flush()}. */
    public void count(UUID workflowId, Outcome outcome, String deliveryId, int bodyBytes, Instant at) {
        tallies.merge(new Key(workflowId, outcome), new Tally(1, deliveryId, bodyBytes, at), Tally::and);
    }

    /**
     * Writes every tally as one entry, in one transaction, and forgets it; answers how many refused deliveries the
     * entries stand for. A tally whose workflow was deleted meanwhile is dropped with it (its entry would be too).
     */
    @Transactional
    public int flush() {
        List<Map.Entry<Key, Tally>> taken = new ArrayList<>();
        for (Key key : List.copyOf(tallies.keySet())) {
            Tally tally = tallies.remove(key);
            if (tally != null) {
                taken.add(Map.entry(key, tally));
            }
        }
        int written = 0;
        for (Map.Entry<Key, Tally> entry : taken) {
            Key key = entry.getKey();
            Tally tally = entry.getValue();
            if (deliveries.recordRefusals(key.workflowId(), key.outcome(), tally.lastDeliveryId(),
                    tally.lastBodyBytes(), tally.repeats(), tally.lastAt()).isPresent()) {
                written += tally.repeats();
            }
        }
        return written;
    }
}
