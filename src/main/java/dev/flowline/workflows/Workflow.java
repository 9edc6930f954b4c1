package dev.flowline.workflows;

import java.time.Instant;
import java.util.UUID;

/**
 * A workflow of a workspace. {@code currentVersion} numbers the definition new runs use; {@code version} is the
 * optimistic-lock version exposed as the ETag. {@code triggerType} is the wire name of its trigger node.
 * {@code errorWorkflowId} (nullable) is another workflow of the workspace, run when one of this one's runs is
 * dead-lettered.
 */
public record Workflow(UUID id, UUID workspaceId, String name, String description, boolean enabled,
                       String triggerType, int currentVersion, int concurrencyLimit, RetryPolicy retryPolicy,
                       UUID errorWorkflowId, Instant createdAt, Instant updatedAt, long version) {
}
