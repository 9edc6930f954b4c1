package dev.flowline.runs;

import dev.flowline.workspaces.RunConsumption;
import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * A run to insert. At most one of {@code idempotencyKey}, {@code scheduledFor} and {@code webhookDeliveryId} is its
 * uniqueness key; a webhook's run also has {@code webhookRequestHash}, unique too (a replayed request).
 * {@code quotaPeriodStart} and {@code quotaKind} record the run unit it consumed, so the unit can be given back if
 * the run is refused later. {@code child}: where a child run comes from (its uniqueness key), else null.
 * {@code traceParent}: the W3C {@code traceparent} of the trace that started it (the engine continues that trace),
 * null while tracing is off.
 */
public record NewRun(UUID workspaceId, UUID workflowId, int workflowVersion, RunTrigger trigger, JsonObject input,
                     String idempotencyKey, Instant scheduledFor, String webhookDeliveryId, String webhookRequestHash,
                     UUID rerunOf, Instant quotaPeriodStart, RunConsumption quotaKind, UUID createdBy,
                     ChildOf child, String traceParent) {

    /** A run outside any trace. */
    public NewRun(UUID workspaceId, UUID workflowId, int workflowVersion, RunTrigger trigger, JsonObject input,
                  String idempotencyKey, Instant scheduledFor, String webhookDeliveryId, String webhookRequestHash,
                  UUID rerunOf, Instant quotaPeriodStart, RunConsumption quotaKind, UUID createdBy, ChildOf child) {
        this(workspaceId, workflowId, workflowVersion, trigger, input, idempotencyKey, scheduledFor, webhookDeliveryId,
                webhookRequestHash, rerunOf, quotaPeriodStart, quotaKind, createdBy, child, null);
    }

    /** A run that no other run starts. */
    public NewRun(UUID workspaceId, UUID workflowId, int workflowVersion, RunTrigger trigger, JsonObject input,
                  String idempotencyKey, Instant scheduledFor, String webhookDeliveryId, String webhookRequestHash,
                  UUID rerunOf, Instant quotaPeriodStart, RunConsumption quotaKind, UUID createdBy) {
        this(workspaceId, workflowId, workflowVersion, trigger, input, idempotencyKey, scheduledFor, webhookDeliveryId,
                webhookRequestHash, rerunOf, quotaPeriodStart, quotaKind, createdBy, null);
    }
}
