package dev.flowline.workspaces;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link RunUsageRepository} whose answers the test sets: run quota state (for every workspace) and billing cycle.
 * Counts consume and release calls, so service and resource tests assert quota refusals and releases without a
 * database. Goes with {@link StaticWorkspaceMembershipRepository}. Call {@link #reset()} before each test.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class StaticRunUsageRepository extends NeutralRunUsageRepository {

    /** What {@link #tryConsumeRun} finds: units left, none left, or already into overage. */
    public enum QuotaState { REMAINING, AT_LIMIT, OVER }

    private volatile QuotaState quota = QuotaState.REMAINING;
    private volatile BillingCycle billingCycle;
    private final AtomicInteger consumeCalls = new AtomicInteger();
    private final AtomicInteger releaseCalls = new AtomicInteger();

    public void reset() {
        quota = QuotaState.REMAINING;
        billingCycle = null;
        consumeCalls.set(0);
        releaseCalls.set(0);
    }

    public void quota(QuotaState state) {
        quota = state;
    }

    public void billingCycle(BillingCycle cycle) {
        billingCycle = cycle;
    }

    public int consumeCalls() {
        return consumeCalls.get();
    }

    public int releaseCalls() {
        return releaseCalls.get();
    }

    @Override
    public Optional<BillingCycle> getBillingCycle(UUID workspaceId) {
        return Optional.ofNullable(billingCycle);
    }

    @Override
    public RunConsumption tryConsumeRun(UUID workspaceId, BillingPeriod period, int allocation, boolean overageAllowed) {
        consumeCalls.incrementAndGet();
        if (quota == QuotaState.REMAINING) {
            return RunConsumption.WITHIN_ALLOCATION;
        }
        return overageAllowed ? RunConsumption.OVERAGE : RunConsumption.REFUSED;
    }

    @Override
    public void releaseRun(UUID workspaceId, Instant periodStart, RunConsumption kind) {
        releaseCalls.incrementAndGet();
    }

    @Override
    public RunUsage getRunUsage(UUID workspaceId, BillingPeriod period) {
        return switch (quota) {
            case REMAINING -> new RunUsage(period, 0, 0);
            case AT_LIMIT -> new RunUsage(period, Integer.MAX_VALUE, 0);
            case OVER -> new RunUsage(period, Integer.MAX_VALUE, 1);
        };
    }
}
