package dev.flowline.workflows;

import jakarta.json.JsonValue;

/** A workflow as a user submits it, before its definition is validated. */
public record WorkflowDraft(String name, String description, boolean enabled, int concurrencyLimit,
                            RetryPolicy retryPolicy, JsonValue definition) {
}
