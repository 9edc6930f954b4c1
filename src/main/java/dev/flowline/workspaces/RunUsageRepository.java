package dev.flowline.workspaces;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Every persistent operation on a workspace's run usage and on the billing cycle that sets its quota period (billing
 * keeps the cycle, the overage subscription item and the owner's Stripe customer here too). Implemented by
 * {@code JpaRunUsageRepository} on PostgreSQL and by test doubles. The run quota is enforced here, in the database,
 * by a guarded single-statement update, never by reading a count and writing in Java.
 */
public interface RunUsageRepository {

    // --- run usage ---

    /**
     * Takes one run unit in {@code period}: within {@code allocation} if one is left, else as overage when
     * {@code overageAllowed}, else refuses. Atomic under any concurrency.
     */
    RunConsumption tryConsumeRun(UUID workspaceId, BillingPeriod period, int allocation, boolean overageAllowed);

    /** Gives back one unit consumed as {@code kind} in the period starting at {@code periodStart}. */
    void releaseRun(UUID workspaceId, Instant periodStart, RunConsumption kind);

    /** Usage in {@code period}; zero when nothing was consumed yet. */
    RunUsage getRunUsage(UUID workspaceId, BillingPeriod period);

    // --- billing ---

    void upsertBillingCycle(BillingCycle cycle, Instant now);

    Optional<BillingCycle> getBillingCycle(UUID workspaceId);

    void clearBillingCycle(UUID workspaceId);

    Optional<String> getOverageSubscriptionItemId(UUID workspaceId);

    void setOverageSubscriptionItemId(UUID workspaceId, String subscriptionItemId);

    /** The Stripe customer of the workspace's owner, for metered billing. */
    Optional<String> findOwnerStripeCustomerId(UUID workspaceId);
}
