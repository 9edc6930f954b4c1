package dev.flowline.runs;

import java.util.Set;
import java.util.UUID;

/**
 * Fired synchronously by {@link InMemoryRunRepository#pruneRuns} after it deleted runs, for the doubles of rows that
 * refer to a run without depending on it (webhook deliveries) to let go of it, as the schema's
 * {@code ON DELETE SET NULL} does.
 */
public record InMemoryRunsPruned(Set<UUID> runIds) {
}
