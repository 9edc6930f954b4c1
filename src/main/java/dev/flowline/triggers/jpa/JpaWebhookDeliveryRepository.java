package dev.flowline.triggers.jpa;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.KeysetParameters;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.triggers.WebhookDelivery;
import dev.flowline.triggers.WebhookDeliveryRepository;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link WebhookDeliveryRepository} on PostgreSQL; retention deletes in {@code SKIP LOCKED} batches so it never waits
 * for, or blocks, a delivery being logged.
 */
@Stateless
public class JpaWebhookDeliveryRepository implements WebhookDeliveryRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    private static final String INSERT = """
            INSERT INTO webhook_deliveries (id, workflow_id, delivery_id, received_at, outcome, run_id, body_bytes,
                                            repeats)
            """;

    /** {@inheritDoc} One plain insert (no entity to track): it is on every delivery's path. */
    @Override
    public WebhookDelivery recordDelivery(UUID workflowId, String deliveryId, WebhookDelivery.Outcome outcome,
                                          UUID runId, int bodyBytes, Instant now) {
        WebhookDelivery delivery = new WebhookDelivery(UUID.randomUUID(), workflowId, deliveryId,
                now.truncatedTo(ChronoUnit.MICROS), outcome, runId, bodyBytes, 1);
        bind(em.createNativeQuery(INSERT + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"), delivery).executeUpdate();
        return delivery;
    }

    /** {@inheritDoc} The insert selects the workflow's row, so a deleted workflow makes it insert nothing. */
    @Override
    public Optional<WebhookDelivery> recordRefusals(UUID workflowId, WebhookDelivery.Outcome outcome,
                                                    String lastDeliveryId, int lastBodyBytes, int repeats,
                                                    Instant lastAt) {
        WebhookDelivery tally = new WebhookDelivery(UUID.randomUUID(), workflowId, lastDeliveryId,
                lastAt.truncatedTo(ChronoUnit.MICROS), outcome, null, lastBodyBytes, repeats);
        int inserted = bind(em.createNativeQuery(INSERT + "SELECT ?1, w.id, ?3, ?4, ?5, ?6, ?7, ?8 FROM workflows w"
                + " WHERE w.id = ?2"), tally).executeUpdate();
        return inserted == 1 ? Optional.of(tally) : Optional.empty();
    }

    private static Query bind(Query insert, WebhookDelivery delivery) {
        return insert.setParameter(1, delivery.id())
                .setParameter(2, delivery.workflowId())
                .setParameter(3, delivery.deliveryId())
                .setParameter(4, SqlTimestamps.of(delivery.receivedAt()))
                .setParameter(5, delivery.outcome().name())
                .setParameter(6, delivery.runId())
                .setParameter(7, delivery.bodyBytes())
                .setParameter(8, delivery.repeats());
    }

    @Override
    public List<WebhookDelivery> listDeliveries(UUID workflowId, Keyset before, int limit) {
        TypedQuery<Object[]> query = before == null
                ? em.createNamedQuery(WebhookDeliveryEntity.LIST, Object[].class)
                : KeysetParameters.bind(em.createNamedQuery(WebhookDeliveryEntity.LIST_BEFORE, Object[].class), before);
        return query.setParameter("workflowId", workflowId)
                .setMaxResults(limit + 1)
                .getResultStream()
                .map(WebhookDeliveryEntity::toDelivery)
                .toList();
    }

    @Override
    public int pruneDeliveries(Instant cutoff, int batchSize) {
        return em.createNativeQuery("""
                        DELETE FROM webhook_deliveries WHERE id IN (
                            SELECT id FROM webhook_deliveries WHERE received_at < ?1 LIMIT ?2 FOR UPDATE SKIP LOCKED)""")
                .setParameter(1, SqlTimestamps.of(cutoff))
                .setParameter(2, batchSize)
                .executeUpdate();
    }
}
