package dev.flowline.runs;

import java.time.Duration;

/**
 * A worker reserved by {@link FreeWorkers#reserve} for a run being accepted. {@link #holder} is the lease holder to
 * insert the run under: a claim of its own ({@code <instance>#<claim number>}), the fencing token every later write of
 * the run names, as for the runs a claim leases.
 */
public interface ReservedWorker {

    String holder();

    /** How long the lease lasts before another instance may take the run over (renewed while the run executes). */
    Duration lease();

    /**
     * The run, inserted leased to {@link #holder}, starts on this worker once the transaction commits. If it rolls
     * back, nothing runs; if the instance dies before, the lease expires and any instance claims the run.
     */
    void handOff(ClaimedRun run);
}
