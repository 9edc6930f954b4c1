package dev.flowline.triggers;

import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.runs.CreateWorkflowRunOutcome;
import dev.flowline.runs.RunCompletions;
import dev.flowline.runs.RunLauncher;
import dev.flowline.runs.RunRequest;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.triggers.TriggerErrors.WebhookRejectedException;
import dev.flowline.triggers.WebhookDelivery.Outcome;
import dev.flowline.workflows.WebhookRepository;
import dev.flowline.workflows.WebhookService;
import dev.flowline.workflows.WebhookSignature;
import dev.flowline.workflows.WebhookTarget;
import dev.flowline.workflows.Workflow;
import dev.flowline.workflows.WorkflowErrors.WebhookNotFoundException;
import dev.flowline.workflows.WorkflowErrors.WorkflowDisabledException;
import dev.flowline.workspaces.WorkspaceErrors.RunQuotaExceededException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Public webhook deliveries: checks the HMAC signature over timestamp and raw body (and that the timestamp is
 * within {@value #TOLERANCE_MINUTES} minutes), then starts a run with the body as input. A delivery id makes a
 * sender's retries answer the same run, and a replay of one signed request answers it too. Every delivery is logged
 * for the workflow's members: those refused for their signature or timestamp as tallies ({@link RefusedDeliveries}),
 * the others a row each; refusals are thrown after the row is written (and kept: they do not roll back).
 */
@ApplicationScoped
public class HookReceiver {

    static final int TOLERANCE_MINUTES = 5;
    private static final int MAX_DELIVERY_ID = 255;

    @Inject
    WebhookRepository hooks;

    @Inject
    WebhookDeliveryRepository deliveries;

    @Inject
    RefusedDeliveries refused;

    @Inject
    WebhookService webhooks;

    @Inject
    RunLauncher launcher;

    @Inject
    RunCompletions completions;

    @Inject
    Clock clock;

    /** The run the delivery started (or started earlier, for a repeated delivery id). */
    public record Received(WorkflowRun run, boolean duplicate) {
    }

    @Transactional(dontRollbackOn = {WebhookRejectedException.class, WorkflowDisabledException.class,
            RunQuotaExceededException.class})
    public Received receive(String webhookId, String timestamp, String signature, String deliveryId,
                            String contentType, byte[] body) {
        WebhookTarget target = hooks.findTargetByPublicId(webhookId).orElseThrow(WebhookNotFoundException::new);
        Workflow workflow = target.workflow();
        Instant now = clock.instant();
        WebhookSignature.Verdict verdict = WebhookSignature.verify(webhooks.secretOf(target.webhook()), timestamp,
                signature, body, now, Duration.ofMinutes(TOLERANCE_MINUTES));
        if (verdict != WebhookSignature.Verdict.VALID) {
            boolean timing = verdict == WebhookSignature.Verdict.STALE_TIMESTAMP
                    || verdict == WebhookSignature.Verdict.MISSING_TIMESTAMP
                    || verdict == WebhookSignature.Verdict.MALFORMED_TIMESTAMP;
            // anyone can send these: tallied, not a row each (RefusedDeliveries)
            refused.count(workflow.id(), timing ? Outcome.REJECTED_TIMESTAMP : Outcome.REJECTED_SIGNATURE,
                    loggable(deliveryId), body.length, now);
            throw new WebhookRejectedException(explain(verdict));
        }
        if (deliveryId != null && (deliveryId.isBlank() || deliveryId.length() > MAX_DELIVERY_ID)) {
            throw new InvalidInputException("X-Flowline-Delivery must be 1 to " + MAX_DELIVERY_ID + " characters.");
        }
        if (!workflow.enabled() || !WebhookService.TRIGGER.equals(workflow.triggerType())) {
            log(workflow, deliveryId, Outcome.DISABLED, null, body);
            throw new WorkflowDisabledException();
        }
        JsonObject input = WebhookBodies.toInput(contentType, body);
        CreateWorkflowRunOutcome outcome = launcher.launch(workflow,
                RunRequest.webhook(workflow.currentVersion(), input, deliveryId,
                        WebhookSignature.requestHash(timestamp.trim(), body)));
        if (outcome instanceof CreateWorkflowRunOutcome.Created created) {
            log(workflow, deliveryId, Outcome.ACCEPTED, created.run(), body);
            return new Received(created.run(), false);
        }
        if (outcome instanceof CreateWorkflowRunOutcome.AlreadyExisted existed) {
            log(workflow, deliveryId, Outcome.DUPLICATE, existed.run(), body);
            return new Received(existed.run(), true);
        }
        log(workflow, deliveryId, Outcome.REFUSED_QUOTA, null, body);
        throw new RunQuotaExceededException(((CreateWorkflowRunOutcome.RefusedByQuota) outcome).allocation());
    }

    /** The run once it ended, or as it is after {@code max}: for a sender that asked to wait for the result. */
    public WorkflowRun awaitEnd(WorkflowRun run, Duration max) {
        return completions.await(run.workspaceId(), run.id(), max).orElse(run);
    }

    private void log(Workflow workflow, String deliveryId, Outcome outcome, WorkflowRun run, byte[] body) {
        deliveries.recordDelivery(workflow.id(), loggable(deliveryId), outcome, run == null ? null : run.id(),
                body.length, clock.instant());
    }

    private static String loggable(String deliveryId) {
        return deliveryId == null || deliveryId.length() > MAX_DELIVERY_ID ? null : deliveryId;
    }

    private static String explain(WebhookSignature.Verdict verdict) {
        return switch (verdict) {
            case MISSING_SIGNATURE -> "X-Flowline-Signature is missing.";
            case MALFORMED_SIGNATURE -> "X-Flowline-Signature must be sha256=<hex HMAC-SHA256 of timestamp.body>.";
            case MISSING_TIMESTAMP -> "X-Flowline-Timestamp (Unix seconds) is missing.";
            case MALFORMED_TIMESTAMP -> "X-Flowline-Timestamp must be Unix seconds.";
            case STALE_TIMESTAMP -> "X-Flowline-Timestamp is more than " + TOLERANCE_MINUTES + " minutes from now.";
            default -> "The signature does not match the body and timestamp.";
        };
    }
}
