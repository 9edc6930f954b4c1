package dev.flowline.workspaces;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Neutral answers for every {@link RunUsageRepository} method: stores nothing, finds nothing, every run is refused.
 * Not a bean itself; the doubles extend it and override what their tests control.
 */
public abstract class NeutralRunUsageRepository implements RunUsageRepository {

    @Override
    public RunConsumption tryConsumeRun(UUID workspaceId, BillingPeriod period, int allocation, boolean overageAllowed) {
        return RunConsumption.REFUSED;
    }

    @Override
    public void releaseRun(UUID workspaceId, Instant periodStart, RunConsumption kind) {
    }

    @Override
    public RunUsage getRunUsage(UUID workspaceId, BillingPeriod period) {
        return new RunUsage(period, 0, 0);
    }

    @Override
    public void upsertBillingCycle(BillingCycle cycle, Instant now) {
    }

    @Override
    public Optional<BillingCycle> getBillingCycle(UUID workspaceId) {
        return Optional.empty();
    }

    @Override
    public void clearBillingCycle(UUID workspaceId) {
    }

    @Override
    public Optional<String> getOverageSubscriptionItemId(UUID workspaceId) {
        return Optional.empty();
    }

    @Override
    public void setOverageSubscriptionItemId(UUID workspaceId, String subscriptionItemId) {
    }

    @Override
    public Optional<String> findOwnerStripeCustomerId(UUID workspaceId) {
        return Optional.empty();
    }
}
