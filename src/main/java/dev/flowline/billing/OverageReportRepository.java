package dev.flowline.billing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The outbox of overage meter events. Implemented by {@code JpaOverageReportRepository} on PostgreSQL: enqueueing is
 * one statement that cannot create overlapping slices, and claims use {@code FOR UPDATE SKIP LOCKED} with a lease.
 */
public interface OverageReportRepository {

    /**
     * Adds one report per workspace whose overage counter in a period grew beyond what is already queued, for
     * workspaces with an overage subscription item and an owner with a Stripe customer. Answers the rows added.
     */
    int enqueue(Instant now);

    /**
     * Claims up to {@code limit} unsent reports due at {@code now}: counts an attempt and leases them until
     * {@code leaseUntil} (a crashed sender's reports are taken again after it).
     */
    List<OverageReport> claimDue(Instant now, Instant leaseUntil, int limit);

    void markSent(UUID reportId, Instant at);

    /** Records the failure (visible in the billing overview) and when to try again. */
    void markFailed(UUID reportId, String error, Instant at, Instant nextAttemptAt);

    OverageStatus status(UUID workspaceId, Instant periodStart);
}
