package dev.flowline.runs;

import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * Asking for a run of a workflow version. At most one uniqueness key: {@code idempotencyKey} (API clients),
 * {@code scheduledFor} (a schedule firing) or {@code deliveryId} (a webhook delivery).
 */
public record RunRequest(RunTrigger trigger, int workflowVersion, JsonObject input, String idempotencyKey,
                         Instant scheduledFor, String deliveryId, UUID rerunOf, UUID requestedBy) {

    public static RunRequest of(RunTrigger trigger, int workflowVersion, JsonObject input, UUID requestedBy) {
        return new RunRequest(trigger, workflowVersion, input, null, null, null, null, requestedBy);
    }
}
