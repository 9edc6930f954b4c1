package dev.flowline.runs;

import java.time.Instant;
import java.util.UUID;

/** A run whose retries are exhausted, kept for a person to requeue or discard. */
public record DeadLetter(UUID id, UUID workspaceId, UUID workflowId, UUID runId, String error, String lastNodeId,
                         int attempts, Instant createdAt) {
}
