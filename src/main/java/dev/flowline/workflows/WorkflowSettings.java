package dev.flowline.workflows;

import jakarta.json.JsonObject;

/**
 * Everything a user sets on a workflow (create and full update). {@code definition} is already validated;
 * {@code triggerType} is its trigger node's type.
 */
public record WorkflowSettings(String name, String description, boolean enabled, int concurrencyLimit,
                               RetryPolicy retryPolicy, JsonObject definition, String triggerType) {
}
