package dev.flowline.triggers;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.runs.InMemoryRunRepository;
import dev.flowline.runs.InMemoryRunsPruned;
import dev.flowline.workflows.InMemoryWorkflowDeleted;
import dev.flowline.workflows.InMemoryWorkflowRepository;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.flowline.testing.InMemoryRows.micros;
import static dev.flowline.testing.InMemoryRows.pageBefore;

/**
 * {@link WebhookDeliveryRepository} in memory, above {@link InMemoryWorkflowRepository} and
 * {@link InMemoryRunRepository} (a delivery is of a stored workflow and may name a stored run). Mirrors
 * {@code JpaWebhookDeliveryRepository} and the schema: a missing workflow or run is an exception naming the foreign
 * key; deliveries are listed newest first by (received_at, id) in keyset pages of {@code limit + 1} rows; deleting
 * the workflow deletes its deliveries ({@link InMemoryWorkflowDeleted}, {@code ON DELETE CASCADE}) and pruning a run
 * keeps its deliveries without it ({@link InMemoryRunsPruned}, {@code ON DELETE SET NULL}). Times are rounded to
 * microseconds, ties of time broken in PostgreSQL's uuid order ({@link dev.flowline.testing.InMemoryRows}).
 *
 * <p>Not transactional: a write takes effect at once. Every method is synchronized. Test helper: {@link #clear()}.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class InMemoryWebhookDeliveryRepository implements WebhookDeliveryRepository {

    @Inject
    InMemoryWorkflowRepository workflows;

    @Inject
    InMemoryRunRepository runs;

    private final Map<UUID, WebhookDelivery> deliveries = new LinkedHashMap<>();

    /** Forgets every delivery. */
    public synchronized void clear() {
        deliveries.clear();
    }

    /** The workflow's deletion cascades to its deliveries. */
    synchronized void onWorkflowDeleted(@Observes InMemoryWorkflowDeleted deleted) {
        deliveries.values().removeIf(delivery -> delivery.workflowId().equals(deleted.workflowId()));
    }

    /** Deliveries of a pruned run keep their row without the run. */
    synchronized void onRunsPruned(@Observes InMemoryRunsPruned pruned) {
        deliveries.replaceAll((id, d) -> d.runId() != null && pruned.runIds().contains(d.runId())
                ? new WebhookDelivery(d.id(), d.workflowId(), d.deliveryId(), d.receivedAt(), d.outcome(), null,
                d.bodyBytes(), d.repeats())
                : d);
    }

    @Override
    public synchronized WebhookDelivery recordDelivery(UUID workflowId, String deliveryId,
                                                       WebhookDelivery.Outcome outcome, UUID runId, int bodyBytes,
                                                       Instant now) {
        if (!workflows.exists(workflowId)) {
            throw new IllegalArgumentException("fk_webhook_deliveries_workflow_id: no workflow " + workflowId);
        }
        if (runId != null && !runs.exists(runId)) {
            throw new IllegalArgumentException("fk_webhook_deliveries_run_id: no run " + runId);
        }
        WebhookDelivery delivery = new WebhookDelivery(UUID.randomUUID(), workflowId, deliveryId, micros(now), outcome,
                runId, bodyBytes, 1);
        deliveries.put(delivery.id(), delivery);
        return delivery;
    }

    @Override
    public synchronized Optional<WebhookDelivery> recordRefusals(UUID workflowId, WebhookDelivery.Outcome outcome,
                                                                 String lastDeliveryId, int lastBodyBytes, int repeats,
                                                                 Instant lastAt) {
        if (!workflows.exists(workflowId)) {
            return Optional.empty();
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("ck_webhook_deliveries_repeats: " + repeats);
        }
        WebhookDelivery delivery = new WebhookDelivery(UUID.randomUUID(), workflowId, lastDeliveryId, micros(lastAt),
                outcome, null, lastBodyBytes, repeats);
        deliveries.put(delivery.id(), delivery);
        return Optional.of(delivery);
    }

    @Override
    public synchronized List<WebhookDelivery> listDeliveries(UUID workflowId, Keyset before, int limit) {
        return pageBefore(deliveries.values().stream().filter(d -> d.workflowId().equals(workflowId)),
                WebhookDelivery::receivedAt, WebhookDelivery::id, before, limit);
    }

    @Override
    public synchronized int pruneDeliveries(Instant cutoff, int batchSize) {
        Instant at = micros(cutoff);
        List<UUID> doomed = deliveries.values().stream()
                .filter(d -> d.receivedAt().isBefore(at))
                .sorted(Comparator.comparing(WebhookDelivery::receivedAt))
                .limit(batchSize)
                .map(WebhookDelivery::id)
                .toList();
        deliveries.keySet().removeAll(doomed);
        return doomed.size();
    }
}
