package dev.flowline.runs;

import java.util.UUID;

/**
 * Where a child run comes from: the node {@code parentNodeId} of run {@code parentRunId}, in that node's try
 * {@code parentAttempt} (1 + the FAILED steps the node had then: a retry of the node starts new children, a
 * re-execution after a wake-up or a takeover finds the ones it started), for item {@code itemIndex} (0 for
 * {@code flow.call}); {@code callDepth} is the parent's depth + 1. The first four are the child's uniqueness key.
 */
public record ChildOf(UUID parentRunId, String parentNodeId, int parentAttempt, int itemIndex, int callDepth) {
}
