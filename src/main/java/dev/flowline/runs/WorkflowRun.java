package dev.flowline.runs;

import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * A run of one version of a workflow. The lease fields belong to the engine. {@code parentRunId}: the run whose
 * {@code flow.call} or {@code flow.forEach} node started this one, else null.
 */
public record WorkflowRun(UUID id, UUID workspaceId, UUID workflowId, int workflowVersion, RunStatus status,
                          RunTrigger trigger, JsonObject input, JsonObject output, String error, int attempt,
                          String idempotencyKey, Instant scheduledFor, String webhookDeliveryId, UUID rerunOf,
                          boolean cancelRequested, Instant queuedAt, Instant startedAt, Instant finishedAt,
                          Instant nextAttemptAt, String leasedBy, Instant leaseExpiresAt, UUID parentRunId) {

    /** A run that no other run started. */
    public WorkflowRun(UUID id, UUID workspaceId, UUID workflowId, int workflowVersion, RunStatus status,
                       RunTrigger trigger, JsonObject input, JsonObject output, String error, int attempt,
                       String idempotencyKey, Instant scheduledFor, String webhookDeliveryId, UUID rerunOf,
                       boolean cancelRequested, Instant queuedAt, Instant startedAt, Instant finishedAt,
                       Instant nextAttemptAt, String leasedBy, Instant leaseExpiresAt) {
        this(id, workspaceId, workflowId, workflowVersion, status, trigger, input, output, error, attempt,
                idempotencyKey, scheduledFor, webhookDeliveryId, rerunOf, cancelRequested, queuedAt, startedAt,
                finishedAt, nextAttemptAt, leasedBy, leaseExpiresAt, null);
    }
}
