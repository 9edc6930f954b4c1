package dev.flowline.workflows;

import java.util.UUID;

/**
 * Fired synchronously by {@link InMemoryWorkflowRepository} after it deleted a workflow, for the doubles of what hangs
 * off a workflow (schedule, webhook, runs, dead letters, deliveries) to drop their rows, as the schema's
 * {@code ON DELETE CASCADE} does. The workflows double thereby never knows the doubles above it.
 */
public record InMemoryWorkflowDeleted(UUID workflowId) {
}
