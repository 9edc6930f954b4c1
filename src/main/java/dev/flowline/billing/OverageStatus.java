package dev.flowline.billing;

import java.time.Instant;

/**
 * Overage of a workspace in a period as far as Stripe is concerned: units reported, units waiting (not yet sent, or
 * failing), and the last failure while any wait.
 */
public record OverageStatus(int reportedUnits, int pendingUnits, String lastError, Instant lastErrorAt) {
}
