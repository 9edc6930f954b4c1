package dev.flowline.runs;

import java.util.UUID;

/**
 * What a bulk requeue did with one dead letter: requeued it ({@code run} is the new run), or why not (the letter
 * stays, except when it is gone).
 */
public record DeadLetterRequeue(UUID deadLetterId, Result result, WorkflowRun run) {

    public enum Result {
        /** A new run was queued and the dead letter removed. */
        REQUEUED,
        /** No such dead letter in this workspace: never was, or discarded or requeued by someone else meanwhile. */
        NOT_FOUND,
        /** Its workflow is disabled; the dead letter stays. */
        WORKFLOW_DISABLED,
        /** The plan's runs for this period are used up; the dead letter stays. */
        QUOTA_EXHAUSTED
    }

    static DeadLetterRequeue not(UUID deadLetterId, Result result) {
        return new DeadLetterRequeue(deadLetterId, result, null);
    }
}
