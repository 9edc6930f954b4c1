package dev.flowline.runs;

import java.util.Optional;

/**
 * The engine's workers on this instance, as a transaction that accepts a run sees them (implemented by the engine,
 * which this area may not name). A run accepted while a worker is free is inserted already leased to it and handed to
 * it when the transaction commits: no claim statement and no wake-up (see {@link RunLauncher}).
 */
public interface FreeWorkers {

    /**
     * Reserves a free worker of this instance for the current transaction; empty when none is free (or the engine is
     * off or stopping). The worker is freed again when the transaction ends, unless a run was
     * {@linkplain ReservedWorker#handOff handed} to it and the transaction commits: then it runs that run.
     */
    Optional<ReservedWorker> reserve();
}
