package dev.flowline.runs;

import java.util.List;

/**
 * The time partitions of the run history (migration 0039): {@code workflow_runs} and {@code workflow_run_steps} are
 * partitioned by run id, and a run id tells its time ({@link RunIds}). Each period has one partition of each table,
 * made ahead by the engine's RunPartitionJob and dropped by retention once every plan's retention has passed it.
 */
public interface RunPartitions {

    /** The periods that have partitions, oldest first (not the legacy and default partitions). */
    List<RunPartition> list();

    /** Makes the partitions of {@code period} (the database's answer: created, exists, overlaps, default-holds-rows). */
    String create(RunPartition period);

    /**
     * Detaches the partitions of {@code period} if all its runs ended and none has a dead letter (the parents locked
     * for milliseconds); answers detached, unfinished, dead-letters, busy (the lock was not granted within 500 ms),
     * missing, or dropped for a period already detached. Call {@link #dropDetached} next, in another transaction.
     */
    String drop(RunPartition period);

    /** Drops the tables of a detached period (nothing waits for their files to be unlinked); answers dropped. */
    String dropDetached(RunPartition period);

    /**
     * Deletes up to {@code batch} once-keys of the runs of a dropped {@code period} (run_once_keys, kept apart from the
     * partitions: a key whose run is gone is taken over by the next run with it, so this only bounds the table);
     * answers how many were deleted.
     */
    int forgetKeys(RunPartition period, int batch);
}
