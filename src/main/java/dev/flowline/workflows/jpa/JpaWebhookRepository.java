package dev.flowline.workflows.jpa;

import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.workflows.WebhookRepository;
import dev.flowline.workflows.WebhookTarget;
import dev.flowline.workflows.WebhookTrigger;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link WebhookRepository} on PostgreSQL: the upsert ({@code ON CONFLICT (workflow_id) DO UPDATE}) takes the
 * workspace from the workflow row, so a webhook can only be attached to a workflow of the given workspace.
 */
@Stateless
public class JpaWebhookRepository implements WebhookRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public Optional<WebhookTrigger> findWebhook(UUID workspaceId, UUID workflowId) {
        return em.createNamedQuery(WorkflowWebhookEntity.FIND, Object[].class)
                .setParameter("workflowId", workflowId)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .findFirst()
                .map(WorkflowWebhookEntity::toWebhook);
    }

    @Override
    public Optional<WebhookTarget> findTargetByPublicId(String webhookId) {
        return em.createNamedQuery(WorkflowWebhookEntity.FIND_TARGET_BY_PUBLIC_ID, Object[].class)
                .setParameter("webhookId", webhookId)
                .getResultStream()
                .findFirst()
                .map(WorkflowWebhookEntity::toTarget);
    }

    /**
     * {@inheritDoc} Like {@code JpaScheduleRepository.saveSchedule}, a workflow that is not in {@code workspaceId} is an
     * {@link IllegalArgumentException}. A public id already used by another workflow violates
     * {@code uk_workflow_webhooks_webhook_id} (the caller generates random ids).
     */
    @Override
    public WebhookTrigger saveWebhook(UUID workspaceId, UUID workflowId, String webhookId, String encryptedSecret,
                                      Instant now) {
        int saved = em.createNativeQuery("""
                        INSERT INTO workflow_webhooks (workflow_id, workspace_id, webhook_id, secret_encrypted, rotated_at)
                        SELECT w.id, w.workspace_id, CAST(?3 AS text), CAST(?4 AS text), CAST(?5 AS timestamptz)
                        FROM workflows w WHERE w.id = ?1 AND w.workspace_id = ?2
                        ON CONFLICT (workflow_id) DO UPDATE SET
                            webhook_id = EXCLUDED.webhook_id,
                            secret_encrypted = EXCLUDED.secret_encrypted,
                            rotated_at = EXCLUDED.rotated_at""")
                .setParameter(1, workflowId)
                .setParameter(2, workspaceId)
                .setParameter(3, webhookId)
                .setParameter(4, encryptedSecret)
                .setParameter(5, SqlTimestamps.of(now))
                .executeUpdate();
        if (saved != 1) {
            throw new IllegalArgumentException("No workflow " + workflowId + " in workspace " + workspaceId);
        }
        return findWebhook(workspaceId, workflowId).orElseThrow();
    }
}
