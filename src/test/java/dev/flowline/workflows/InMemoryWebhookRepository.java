package dev.flowline.workflows;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.flowline.testing.InMemoryRows.micros;

/**
 * {@link WebhookRepository} in memory, beside {@link InMemoryWorkflowRepository} (a webhook belongs to a workflow of
 * its workspace). Mirrors {@code JpaWebhookRepository}: a webhook is read by workflow only with its workspace, saved
 * only for a workflow of that workspace, and its public id is unique ({@code uk_workflow_webhooks_webhook_id});
 * deleting the workflow deletes its webhook ({@link InMemoryWorkflowDeleted}, the foreign key's cascade). Times are
 * rounded to microseconds.
 *
 * <p>Not transactional: a write takes effect at once. Every method is synchronized. Test helper: {@link #clear()}.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class InMemoryWebhookRepository implements WebhookRepository {

    @Inject
    InMemoryWorkflowRepository workflows;

    private final Map<UUID, WebhookTrigger> webhooks = new LinkedHashMap<>();

    /** Forgets every webhook. */
    public synchronized void clear() {
        webhooks.clear();
    }

    /** The workflow's deletion cascades to its webhook. */
    synchronized void onWorkflowDeleted(@Observes InMemoryWorkflowDeleted deleted) {
        webhooks.remove(deleted.workflowId());
    }

    @Override
    public synchronized Optional<WebhookTrigger> findWebhook(UUID workspaceId, UUID workflowId) {
        return Optional.ofNullable(webhooks.get(workflowId)).filter(h -> h.workspaceId().equals(workspaceId));
    }

    @Override
    public synchronized Optional<WebhookTarget> findTargetByPublicId(String webhookId) {
        return webhooks.values().stream()
                .filter(h -> h.webhookId().equals(webhookId))
                .findFirst()
                .flatMap(h -> workflows.find(h.workspaceId(), h.workflowId()).map(w -> new WebhookTarget(h, w)));
    }

    /**
     * {@inheritDoc} A workflow not in {@code workspaceId} is an {@link IllegalArgumentException}; a public id another
     * workflow uses is an {@link IllegalStateException} naming {@code uk_workflow_webhooks_webhook_id}.
     */
    @Override
    public synchronized WebhookTrigger saveWebhook(UUID workspaceId, UUID workflowId, String webhookId,
                                                   String encryptedSecret, Instant now) {
        Workflow workflow = workflows.find(workspaceId, workflowId).orElseThrow(() -> new IllegalArgumentException(
                "No workflow " + workflowId + " in workspace " + workspaceId));
        boolean taken = webhooks.values().stream()
                .anyMatch(h -> h.webhookId().equals(webhookId) && !h.workflowId().equals(workflowId));
        if (taken) {
            throw new IllegalStateException("uk_workflow_webhooks_webhook_id: " + webhookId + " is taken");
        }
        WebhookTrigger saved = new WebhookTrigger(workflow.id(), workflow.workspaceId(), webhookId, encryptedSecret,
                micros(now));
        webhooks.put(workflow.id(), saved);
        return saved;
    }
}
