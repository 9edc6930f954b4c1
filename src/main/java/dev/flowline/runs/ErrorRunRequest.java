package dev.flowline.runs;

import java.time.Instant;
import java.util.UUID;

/**
 * A pending start of an error workflow's run, filed with the dead letter of run {@code runId} (of workflow
 * {@code workflowId}, named {@code workflowName}), and what the summary given to the error run holds.
 */
public record ErrorRunRequest(UUID id, UUID workspaceId, UUID runId, UUID workflowId, String workflowName,
                              UUID errorWorkflowId, String failedNodeId, String error, int attempt, Instant createdAt) {
}
