package dev.flowline.workflows;

/** What a webhook delivery needs, read together: the webhook (its secret) and the workflow it starts. */
public record WebhookTarget(WebhookTrigger webhook, Workflow workflow) {
}
