package dev.flowline.workflows;

import jakarta.json.JsonObject;

import java.util.Optional;

/**
 * A workflow with its current definition. {@code newWebhookSecret} is present only in the answer that created
 * the workflow's webhook: the only time the secret is shown.
 */
public record WorkflowView(Workflow workflow, JsonObject definition, Optional<WebhookTrigger> webhook,
                           Optional<String> newWebhookSecret) {
}
