package dev.flowline.workflows.jpa;

import dev.flowline.workflows.WebhookTarget;
import dev.flowline.workflows.WebhookTrigger;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * A row of {@code workflow_webhooks}: the public id of a workflow's webhook URL and its signing secret, encrypted by
 * the caller. Written by a native upsert (rotation replaces both); read here.
 */
@Entity
@Table(name = "workflow_webhooks")
@NamedQuery(name = WorkflowWebhookEntity.FIND,
        query = "SELECT " + WorkflowWebhookEntity.COLUMNS + " FROM WorkflowWebhookEntity h "
                + "WHERE h.workflowId = :workflowId AND h.workspaceId = :workspaceId")
@NamedQuery(name = WorkflowWebhookEntity.FIND_TARGET_BY_PUBLIC_ID,
        query = "SELECT " + WorkflowWebhookEntity.COLUMNS + ", " + WorkflowEntity.COLUMNS
                + " FROM WorkflowWebhookEntity h, WorkflowEntity w"
                + " WHERE h.webhookId = :webhookId AND w.id = h.workflowId AND w.workspaceId = h.workspaceId")
public class WorkflowWebhookEntity {

    static final String FIND = "WorkflowWebhook.find";
    static final String FIND_TARGET_BY_PUBLIC_ID = "WorkflowWebhook.findTargetByPublicId";

    static final String COLUMNS = "h.workflowId, h.workspaceId, h.webhookId, h.secretEncrypted, h.rotatedAt";

    @Id
    @Column(name = "workflow_id")
    private UUID workflowId;

    @Column(name = "workspace_id", nullable = false)
    private UUID workspaceId;

    @Column(name = "webhook_id", nullable = false)
    private String webhookId;

    @Column(name = "secret_encrypted", nullable = false)
    private String secretEncrypted;

    @Column(name = "rotated_at", nullable = false)
    private Instant rotatedAt;

    protected WorkflowWebhookEntity() {
    }

    /** A webhook and its workflow from {@link #COLUMNS} followed by {@code WorkflowEntity.COLUMNS}. */
    static WebhookTarget toTarget(Object[] row) {
        return new WebhookTarget(toWebhook(row), WorkflowEntity.toWorkflow(Arrays.copyOfRange(row, 5, row.length)));
    }

    static WebhookTrigger toWebhook(Object[] row) {
        return new WebhookTrigger((UUID) row[0], (UUID) row[1], (String) row[2], (String) row[3], (Instant) row[4]);
    }
}
