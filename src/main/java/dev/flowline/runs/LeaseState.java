package dev.flowline.runs;

/** What a worker learns when it writes a run's progress. */
public enum LeaseState {
    /** The lease is still this worker's: go on. */
    HELD,
    /** Still held, but someone asked to cancel the run: stop before the next step. */
    CANCEL_REQUESTED,
    /** Another instance took the run over (this lease expired) or it ended: write nothing more. */
    LOST
}
