package dev.flowline.workflows;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The webhook of a workflow whose trigger is {@code trigger.webhook}: its public id and encrypted signing secret
 * (one row per workflow). Implemented by {@code JpaWebhookRepository} and by test doubles.
 */
public interface WebhookRepository {

    Optional<WebhookTrigger> findWebhook(UUID workspaceId, UUID workflowId);

    /** The webhook with this public id and its workflow, in one read (a delivery's hot path). */
    Optional<WebhookTarget> findTargetByPublicId(String webhookId);

    /** Creates the workflow's webhook or replaces its id and secret (rotation). */
    WebhookTrigger saveWebhook(UUID workspaceId, UUID workflowId, String webhookId, String encryptedSecret, Instant now);
}
