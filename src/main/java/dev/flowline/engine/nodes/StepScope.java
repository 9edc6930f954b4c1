package dev.flowline.engine.nodes;

import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * Where a step runs: its run (id, workspace, workflow, attempt), the time it starts, and {@code waiting}: what the
 * node recorded when it last parked this run (the output of its WAITING step), or null when it has not parked. A
 * node that parks ({@link StepOutcome.Park}) runs again when the run is claimed and reads {@code waiting} to tell
 * its first execution from its resumption.
 */
public record StepScope(UUID runId, UUID workspaceId, UUID workflowId, int attempt, Instant now, JsonObject waiting) {

    /** The key of an effect of this step, the same for every attempt, so a receiver can tell a retry from a call. */
    public String effectKey(String nodeId) {
        return runId + ":" + nodeId;
    }
}
