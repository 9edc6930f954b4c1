package dev.flowline.workflows;

import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/** An immutable, numbered definition of a workflow. */
public record WorkflowVersion(UUID workflowId, int number, JsonObject definition, UUID createdBy, Instant createdAt) {
}
