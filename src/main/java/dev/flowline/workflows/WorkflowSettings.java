package dev.flowline.workflows;

import jakarta.json.JsonObject;

import java.util.UUID;

/**
 * Everything a user sets on a workflow (create and full update). {@code definition} is already validated;
 * {@code triggerType} is its trigger node's type; {@code errorWorkflowId} (nullable) was checked to be another
 * workflow of the same workspace.
 */
public record WorkflowSettings(String name, String description, boolean enabled, int concurrencyLimit,
                               RetryPolicy retryPolicy, UUID errorWorkflowId, JsonObject definition,
                               String triggerType) {

    /** Settings without an error workflow. */
    public WorkflowSettings(String name, String description, boolean enabled, int concurrencyLimit,
                            RetryPolicy retryPolicy, JsonObject definition, String triggerType) {
        this(name, description, enabled, concurrencyLimit, retryPolicy, null, definition, triggerType);
    }
}
