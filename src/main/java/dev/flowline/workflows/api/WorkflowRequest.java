package dev.flowline.workflows.api;

import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.WorkflowDraft;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.UUID;

/**
 * A workflow to create or to replace (PUT). {@code enabled} defaults to true, {@code concurrencyLimit} to
 * {@link WorkflowDraft#DEFAULT_CONCURRENCY_LIMIT}, the
 * retry policy to 3 attempts with exponential backoff from 10 s up to 600 s (equal jitter: {@link RetryPolicy}).
 * {@code errorWorkflowId}: another workflow of the workspace, run when a run of this one is dead-lettered; absent or
 * null: none (a PUT without it clears it).
 */
public record WorkflowRequest(
        @NotBlank @Size(max = 200) String name,
        @Size(max = 2000) String description,
        Boolean enabled,
        @Min(1) @Max(100) Integer concurrencyLimit,
        @Valid RetryPolicyRequest retryPolicy,
        UUID errorWorkflowId,
        @NotNull JsonValue definition) {

    WorkflowDraft toDraft() {
        return new WorkflowDraft(name, description, enabled == null || enabled,
                concurrencyLimit == null ? WorkflowDraft.DEFAULT_CONCURRENCY_LIMIT : concurrencyLimit,
                retryPolicy == null ? RetryPolicy.DEFAULT : retryPolicy.toPolicy(), errorWorkflowId, definition);
    }
}
