package dev.flowline.triggers;

import dev.flowline.platform.pagination.Keyset;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The log of webhook deliveries, accepted and refused, that members read to debug a sender; pruned after
 * {@code flowline.webhooks.delivery-retention-days}. Implemented by {@code JpaWebhookDeliveryRepository} and by test
 * doubles.
 */
public interface WebhookDeliveryRepository {

    WebhookDelivery recordDelivery(UUID workflowId, String deliveryId, WebhookDelivery.Outcome outcome, UUID runId,
                                   int bodyBytes, Instant now);

    /**
     * One entry for {@code repeats} refused deliveries of one outcome, the last received at {@code lastAt}; empty (and
     * nothing written) when the workflow no longer exists.
     */
    Optional<WebhookDelivery> recordRefusals(UUID workflowId, WebhookDelivery.Outcome outcome, String lastDeliveryId,
                                   int lastBodyBytes, int repeats, Instant lastAt);

    /** Deliveries newest first by (received_at, id), {@code limit + 1} rows. */
    List<WebhookDelivery> listDeliveries(UUID workflowId, Keyset before, int limit);

    /** Deletes up to {@code batchSize} webhook deliveries received before {@code cutoff}. */
    int pruneDeliveries(Instant cutoff, int batchSize);
}
