package dev.flowline.workflows;

import dev.flowline.platform.crypto.SecretBox;
import dev.flowline.platform.security.OpaqueTokens;
import dev.flowline.workflows.WorkflowErrors.WebhookNotFoundException;
import dev.flowline.workflows.WorkflowErrors.WorkflowNotFoundException;
import dev.flowline.workflows.WorkflowErrors.WrongTriggerException;
import dev.flowline.workspaces.VerifiedEmail;
import dev.flowline.workspaces.WorkspaceAccess;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Webhook triggers of workflows: a public random id (not the workflow id) and a signing secret, encrypted at rest
 * with the workflow id as associated data, shown once when made and again only by rotating it.
 */
@ApplicationScoped
@Transactional
public class WebhookService {

    public static final String TRIGGER = "trigger.webhook";

    @Inject
    WorkflowRepository workflows;

    @Inject
    WebhookRepository hooks;

    @Inject
    WorkspaceAccess access;

    @Inject
    SecretBox secrets;

    @Inject
    VerifiedEmail verifiedEmail;

    @Inject
    Event<WorkflowActivity> activity;

    @Inject
    Clock clock;

    /**
     * Gives a webhook-triggered workflow its webhook if it has none; answers the new secret, shown once. A webhook
     * starts runs for whoever holds its secret, so only a user with a verified email may have one issued (403).
     */
    Optional<String> ensureFor(Workflow workflow, UUID userId) {
        if (!TRIGGER.equals(workflow.triggerType())
                || hooks.findWebhook(workflow.workspaceId(), workflow.id()).isPresent()) {
            return Optional.empty();
        }
        verifiedEmail.require(userId, VerifiedEmail.TO_START_RUNS);
        return Optional.of(rotate(workflow, "wh_" + OpaqueTokens.generate()));
    }

    public WebhookTrigger get(UUID workspaceId, UUID workflowId, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        workflows.find(workspaceId, workflowId).orElseThrow(WorkflowNotFoundException::new);
        return hooks.findWebhook(workspaceId, workflowId).orElseThrow(WebhookNotFoundException::new);
    }

    /** A new secret for the same URL; the old one stops working at once. */
    public RotatedSecret rotate(UUID workspaceId, UUID workflowId, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.MEMBER);
        Workflow workflow = workflows.find(workspaceId, workflowId).orElseThrow(WorkflowNotFoundException::new);
        if (!TRIGGER.equals(workflow.triggerType())) {
            throw new WrongTriggerException(TRIGGER);
        }
        verifiedEmail.require(userId, VerifiedEmail.TO_START_RUNS);
        String webhookId = hooks.findWebhook(workspaceId, workflowId).map(WebhookTrigger::webhookId)
                .orElseGet(() -> "wh_" + OpaqueTokens.generate());
        String secret = rotate(workflow, webhookId);
        activity.fire(WorkflowActivity.webhookSecretRotated(userId, workspaceId, workflowId));
        return new RotatedSecret(hooks.findWebhook(workspaceId, workflowId).orElseThrow(), secret);
    }

    /** The secret in clear, to check a delivery's signature. */
    public String secretOf(WebhookTrigger webhook) {
        return secrets.decrypt(webhook.encryptedSecret(), associatedData(webhook.workflowId()));
    }

    private String rotate(Workflow workflow, String webhookId) {
        String secret = WebhookSignature.newSecret();
        hooks.saveWebhook(workflow.workspaceId(), workflow.id(), webhookId,
                secrets.encrypt(secret, associatedData(workflow.id())), clock.instant());
        return secret;
    }

    private static String associatedData(UUID workflowId) {
        return "workflow-webhook:" + workflowId;
    }

    /** A webhook with its new secret, answered once. */
    public record RotatedSecret(WebhookTrigger webhook, String secret) {
    }
}
