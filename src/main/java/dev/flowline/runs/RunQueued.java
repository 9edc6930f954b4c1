package dev.flowline.runs;

import java.util.UUID;

/**
 * Fired (synchronously, in the accepting transaction) when a run is queued. The engine observes it after the commit
 * to start the run at once on this instance instead of at its next poll.
 */
public record RunQueued(UUID runId) {
}
