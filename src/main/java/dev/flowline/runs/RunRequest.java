package dev.flowline.runs;

import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * Asking for a run of a workflow version. At most one uniqueness key: {@code idempotencyKey} (API clients),
 * {@code scheduledFor} (a schedule firing), {@code deliveryId} (a webhook delivery) or {@code child} (a child run's
 * place under its parent). Made by the named factories, one per trigger.
 */
public record RunRequest(RunTrigger trigger, int workflowVersion, JsonObject input, String idempotencyKey,
                         Instant scheduledFor, String deliveryId, String requestHash, UUID rerunOf,
                         UUID requestedBy, ChildOf child) {

    public RunRequest(RunTrigger trigger, int workflowVersion, JsonObject input, String idempotencyKey,
                      Instant scheduledFor, String deliveryId, String requestHash, UUID rerunOf, UUID requestedBy) {
        this(trigger, workflowVersion, input, idempotencyKey, scheduledFor, deliveryId, requestHash, rerunOf,
                requestedBy, null);
    }

    /** A child run started by a node of another run: one per {@code child} key, however often the node asks. */
    public static RunRequest call(int workflowVersion, JsonObject input, ChildOf child) {
        return new RunRequest(RunTrigger.CALL, workflowVersion, input, null, null, null, null, null, null, child);
    }

    /** Started by a person; a repeated {@code idempotencyKey} (nullable) answers the same run. */
    public static RunRequest manual(int workflowVersion, JsonObject input, String idempotencyKey, UUID requestedBy) {
        return new RunRequest(RunTrigger.MANUAL, workflowVersion, input, idempotencyKey, null, null, null, null,
                requestedBy);
    }

    /** A schedule's firing for {@code scheduledFor}: each time makes at most one run. */
    public static RunRequest scheduled(int workflowVersion, JsonObject input, Instant scheduledFor) {
        return new RunRequest(RunTrigger.SCHEDULE, workflowVersion, input, null, scheduledFor, null, null, null, null);
    }

    /**
     * A webhook delivery; a repeated {@code deliveryId} (nullable: a sender's retry) or {@code requestHash} (what was
     * signed: a replay of the same request) answers the same run.
     */
    public static RunRequest webhook(int workflowVersion, JsonObject input, String deliveryId, String requestHash) {
        return new RunRequest(RunTrigger.WEBHOOK, workflowVersion, input, null, null, deliveryId, requestHash, null,
                null);
    }

    /** A requeued dead letter: the dead run's version and input, from the start. */
    public static RunRequest retry(WorkflowRun dead, UUID requestedBy) {
        return new RunRequest(RunTrigger.RETRY, dead.workflowVersion(), dead.input(), null, null, null, null, dead.id(),
                requestedBy);
    }

    /** A person's re-run of a run: its version and input. */
    public static RunRequest rerun(WorkflowRun original, UUID requestedBy) {
        return new RunRequest(RunTrigger.RERUN, original.workflowVersion(), original.input(), null, null, null, null,
                original.id(), requestedBy);
    }

    /**
     * A run of an error workflow for the dead-lettered run {@code failedRunId}, with its summary as input; the key
     * {@code dead-letter:<failedRunId>} makes it one run per dead letter, however often it is asked for.
     */
    public static RunRequest error(int workflowVersion, JsonObject summary, UUID failedRunId) {
        return new RunRequest(RunTrigger.ERROR, workflowVersion, summary, "dead-letter:" + failedRunId, null, null, null,
                null, null);
    }
}
