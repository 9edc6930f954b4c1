package dev.flowline.workflows;

import jakarta.json.JsonValue;

import java.util.UUID;

/**
 * A workflow as a user submits it, before its definition and its error workflow ({@code errorWorkflowId}, nullable)
 * are validated.
 */
public record WorkflowDraft(String name, String description, boolean enabled, int concurrencyLimit,
                            RetryPolicy retryPolicy, UUID errorWorkflowId, JsonValue definition) {

    /** A draft without an error workflow. */
    public WorkflowDraft(String name, String description, boolean enabled, int concurrencyLimit,
                         RetryPolicy retryPolicy, JsonValue definition) {
        this(name, description, enabled, concurrencyLimit, retryPolicy, null, definition);
    }
}
