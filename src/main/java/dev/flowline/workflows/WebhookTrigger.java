package dev.flowline.workflows;

import java.time.Instant;
import java.util.UUID;

/** A workflow's webhook: the public id in its URL and the signing secret, encrypted (never in clear at rest). */
public record WebhookTrigger(UUID workflowId, UUID workspaceId, String webhookId, String encryptedSecret, Instant rotatedAt) {
}
