package dev.flowline.triggers;

import java.time.Instant;
import java.util.UUID;

/**
 * One request to a workflow's webhook URL and what became of it; {@code runId} when it started a run. Requests refused
 * for their signature or timestamp are tallied: one entry stands for {@code repeats} of them within a few seconds,
 * with the last one's time, delivery id and size.
 */
public record WebhookDelivery(UUID id, UUID workflowId, String deliveryId, Instant receivedAt, Outcome outcome,
                              UUID runId, int bodyBytes, int repeats) {

    public enum Outcome { ACCEPTED, DUPLICATE, REJECTED_SIGNATURE, REJECTED_TIMESTAMP, REFUSED_QUOTA, DISABLED }
}
