package dev.flowline.triggers;

import java.time.Instant;
import java.util.UUID;

/** One request to a workflow's webhook URL and what became of it; {@code runId} when it started a run. */
public record WebhookDelivery(UUID id, UUID workflowId, String deliveryId, Instant receivedAt, Outcome outcome,
                              UUID runId, int bodyBytes) {

    public enum Outcome { ACCEPTED, DUPLICATE, REJECTED_SIGNATURE, REJECTED_TIMESTAMP, REFUSED_QUOTA, DISABLED }
}
