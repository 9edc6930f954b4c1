package dev.flowline.workflows;

/**
 * What a schedule does about firings missed while no instance was running (see {@link MissedFirings}).
 * Stored and sent in JSON by name.
 */
public enum MissedFiringPolicy {
    /** Fire once for all the missed firings (the latest). */
    RUN_ONCE,
    /** Fire every missed firing, oldest first, up to a bound (the most recent ones are kept). */
    RUN_ALL,
    /** Fire nothing that is late (more than {@link MissedFirings#SKIP_GRACE}); wait for the next firing. */
    SKIP
}
