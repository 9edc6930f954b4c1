package dev.flowline.runs;

/**
 * What started a run. RETRY is a requeued dead letter; RERUN a user's re-run of a finished run; ERROR a run of an
 * error workflow, started because a run of a workflow naming it was dead-lettered (such a run never starts another);
 * CALL a child run started by a {@code flow.call} or {@code flow.forEach} node of its parent run.
 */
public enum RunTrigger {
    MANUAL,
    SCHEDULE,
    WEBHOOK,
    RETRY,
    RERUN,
    ERROR,
    CALL
}
