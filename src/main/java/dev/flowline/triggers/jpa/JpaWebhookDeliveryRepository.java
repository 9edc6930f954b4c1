package dev.flowline.triggers.jpa;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.KeysetParameters;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.triggers.WebhookDelivery;
import dev.flowline.triggers.WebhookDeliveryRepository;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@link WebhookDeliveryRepository} on PostgreSQL; retention deletes in {@code SKIP LOCKED} batches so it never waits
 * for, or blocks, a delivery being logged.
 */
@Stateless
public class JpaWebhookDeliveryRepository implements WebhookDeliveryRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public WebhookDelivery recordDelivery(UUID workflowId, String deliveryId, WebhookDelivery.Outcome outcome,
                                          UUID runId, int bodyBytes, Instant now) {
        WebhookDeliveryEntity delivery = new WebhookDeliveryEntity(UUID.randomUUID(), workflowId, deliveryId, now,
                outcome, runId, bodyBytes);
        em.persist(delivery);
        em.flush();
        return delivery.toDelivery();
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
