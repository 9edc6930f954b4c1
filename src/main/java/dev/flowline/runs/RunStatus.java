package dev.flowline.runs;

/** Life of a run: QUEUED → RUNNING → SUCCEEDED | FAILED (retried as a new attempt) | CANCELED | DEAD_LETTERED. */
public enum RunStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELED,
    DEAD_LETTERED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED || this == DEAD_LETTERED;
    }
}
