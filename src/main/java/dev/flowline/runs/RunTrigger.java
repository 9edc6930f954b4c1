package dev.flowline.runs;

/** What started a run. RETRY is a requeued dead letter; RERUN a user's re-run of a finished run. */
public enum RunTrigger {
    MANUAL,
    SCHEDULE,
    WEBHOOK,
    RETRY,
    RERUN
}
