package dev.flowline.workflows.api;

import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.Workflow;
import dev.flowline.workflows.WorkflowView;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.util.UUID;

/**
 * A workflow; {@code definition} (the current version's) and {@code webhook} are left out of lists.
 * {@code errorWorkflowId}: the workflow run when one of this one's runs is dead-lettered, or null.
 */
public record WorkflowResponse(UUID id, UUID workspaceId, String name, String description, boolean enabled,
                               String triggerType, int currentVersion, int concurrencyLimit, RetryPolicy retryPolicy,
                               UUID errorWorkflowId, JsonObject definition, WebhookResponse webhook, Instant createdAt,
                               Instant updatedAt) {

    static WorkflowResponse summary(Workflow w) {
        return new WorkflowResponse(w.id(), w.workspaceId(), w.name(), w.description(), w.enabled(), w.triggerType(),
                w.currentVersion(), w.concurrencyLimit(), w.retryPolicy(), w.errorWorkflowId(), null, null,
                w.createdAt(), w.updatedAt());
    }

    static WorkflowResponse of(WorkflowView view, UriInfo uriInfo) {
        Workflow w = view.workflow();
        WebhookResponse webhook = view.webhook()
                .map(hook -> WebhookResponse.of(hook, view.newWebhookSecret().orElse(null), uriInfo)).orElse(null);
        return new WorkflowResponse(w.id(), w.workspaceId(), w.name(), w.description(), w.enabled(), w.triggerType(),
                w.currentVersion(), w.concurrencyLimit(), w.retryPolicy(), w.errorWorkflowId(), view.definition(),
                webhook, w.createdAt(), w.updatedAt());
    }
}
