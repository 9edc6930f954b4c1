package dev.flowline.workflows;

import jakarta.json.JsonValue;

import java.util.UUID;

/**
 * A workflow as a user submits it, before its definition and its error workflow ({@code errorWorkflowId}, nullable)
 * are validated.
 */
public record WorkflowDraft(String name, String description, boolean enabled, int concurrencyLimit,
                            RetryPolicy retryPolicy, UUID errorWorkflowId, JsonValue definition) {

    /**
     * Runs of one workflow executing at once when a request names none: concurrent, as webhook deliveries are in other
     * engines (a burst of deliveries does not drain one by one), yet bounded, so one workflow's burst leaves workers
     * to the others and does not hit the services it calls with a hundred requests at once.
     */
    public static final int DEFAULT_CONCURRENCY_LIMIT = 10;

    /** A draft without an error workflow. */
    public WorkflowDraft(String name, String description, boolean enabled, int concurrencyLimit,
                         RetryPolicy retryPolicy, JsonValue definition) {
        this(name, description, enabled, concurrencyLimit, retryPolicy, null, definition);
    }
}
