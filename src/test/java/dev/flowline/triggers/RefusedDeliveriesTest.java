package dev.flowline.triggers;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.triggers.WebhookDelivery.Outcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static dev.flowline.testing.Threads.concurrently;
import static org.assertj.core.api.Assertions.assertThat;

class RefusedDeliveriesTest {

    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

    private final UUID hook = UUID.randomUUID();
    private final UUID otherHook = UUID.randomUUID();
    private final UUID deletedHook = UUID.randomUUID();
    private final Tallies log = new Tallies(Set.of(hook, otherHook));
    private final RefusedDeliveries refused = new RefusedDeliveries();

    @BeforeEach
    void wire() {
        refused.deliveries = log;
    }

    @Test
    void aFlushWritesOneEntryPerWebhookAndOutcomeWithTheCountAndTheLastOne() {
        refused.count(hook, Outcome.REJECTED_SIGNATURE, "a", 10, T);
        refused.count(hook, Outcome.REJECTED_SIGNATURE, null, 20, T.plusSeconds(1));
        refused.count(hook, Outcome.REJECTED_SIGNATURE, "c", 30, T.plusSeconds(2));
        refused.count(hook, Outcome.REJECTED_TIMESTAMP, "d", 40, T.plusSeconds(3));
        refused.count(otherHook, Outcome.REJECTED_SIGNATURE, null, 50, T.plusSeconds(4));

        assertThat(refused.flush()).isEqualTo(5);

        assertThat(log.written).containsExactlyInAnyOrder(
                new Entry(hook, Outcome.REJECTED_SIGNATURE, "c", 30, 3, T.plusSeconds(2)),
                new Entry(hook, Outcome.REJECTED_TIMESTAMP, "d", 40, 1, T.plusSeconds(3)),
                new Entry(otherHook, Outcome.REJECTED_SIGNATURE, null, 50, 1, T.plusSeconds(4)));
        assertThat(refused.flush()).as("each tally is written once").isZero();
        assertThat(log.written).hasSize(3);
    }

    @Test
    void aTallyOfADeletedWorkflowIsDroppedWithIt() {
        refused.count(deletedHook, Outcome.REJECTED_SIGNATURE, null, 1, T);
        refused.count(hook, Outcome.REJECTED_SIGNATURE, null, 1, T);

        assertThat(refused.flush()).isEqualTo(1);
        assertThat(log.written).extracting(Entry::workflowId).containsExactly(hook);
        assertThat(refused.flush()).isZero();
    }

    @Test
    void countsFromManyThreadsAreAllTallied() throws Exception {
        List<Callable<Integer>> senders = IntStream.range(0, 8).<Callable<Integer>>mapToObj(i -> () -> {
            for (int n = 0; n < 1000; n++) {
                refused.count(hook, Outcome.REJECTED_SIGNATURE, null, n, T);
            }
            return 1000;
        }).toList();

        concurrently(senders);

        assertThat(refused.flush()).isEqualTo(8000);
        assertThat(log.written).singleElement().extracting(Entry::repeats).isEqualTo(8000);
    }

    record Entry(UUID workflowId, Outcome outcome, String lastDeliveryId, int lastBodyBytes, int repeats,
                 Instant lastAt) {
    }

    /** Records the tallies written; workflows outside {@code existing} are gone. */
    private static final class Tallies implements WebhookDeliveryRepository {

        final List<Entry> written = new CopyOnWriteArrayList<>();
        private final Set<UUID> existing;

        Tallies(Set<UUID> existing) {
            this.existing = existing;
        }

        @Override
        public Optional<WebhookDelivery> recordRefusals(UUID workflowId, Outcome outcome, String lastDeliveryId,
                                                        int lastBodyBytes, int repeats, Instant lastAt) {
            if (!existing.contains(workflowId)) {
                return Optional.empty();
            }
            written.add(new Entry(workflowId, outcome, lastDeliveryId, lastBodyBytes, repeats, lastAt));
            return Optional.of(new WebhookDelivery(UUID.randomUUID(), workflowId, lastDeliveryId, lastAt, outcome, null,
                    lastBodyBytes, repeats));
        }

        @Override
        public WebhookDelivery recordDelivery(UUID workflowId, String deliveryId, Outcome outcome, UUID runId,
                                              int bodyBytes, Instant now) {
            throw new UnsupportedOperationException("refusals are tallied");
        }

        @Override
        public List<WebhookDelivery> listDeliveries(UUID workflowId, Keyset before, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int pruneDeliveries(Instant cutoff, int batchSize) {
            throw new UnsupportedOperationException();
        }
    }
}
