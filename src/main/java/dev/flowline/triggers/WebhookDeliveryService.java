package dev.flowline.triggers;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.pagination.Page;
import dev.flowline.workflows.WorkflowErrors.WorkflowNotFoundException;
import dev.flowline.workflows.WorkflowRepository;
import dev.flowline.workspaces.WorkspaceAccess;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.UUID;

/** The delivery log of a workflow's webhook, for its workspace's members to see what senders sent and what came of it. */
@ApplicationScoped
@Transactional
public class WebhookDeliveryService {

    @Inject
    WorkflowRepository workflows;

    @Inject
    WebhookDeliveryRepository deliveries;

    @Inject
    WorkspaceAccess access;

    public Page<WebhookDelivery> list(UUID workspaceId, UUID workflowId, UUID userId, String cursor, Integer limit) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        workflows.find(workspaceId, workflowId).orElseThrow(WorkflowNotFoundException::new);
        int size = Keyset.limit(limit);
        return Keyset.page(deliveries.listDeliveries(workflowId, Keyset.decode(cursor), size), size,
                d -> new Keyset(d.receivedAt(), d.id()));
    }
}
