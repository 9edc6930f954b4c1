package dev.flowline.billing;

import dev.flowline.users.AccountPlan;
import dev.flowline.workspaces.BillingPeriod;
import dev.flowline.workspaces.PlanTier;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user's billing: their plan, subscription (null before the first), the checkout in progress and the last error
 * (both from {@code settings.billing}), and for every workspace they own its tier, period, usage and overage.
 */
public record BillingOverview(AccountPlan plan, Subscription subscription, PendingCheckout pendingCheckout,
                              String lastError, Instant lastErrorAt, List<WorkspaceBilling> workspaces) {

    public record PendingCheckout(String sessionId, String plan, Instant startedAt) {
    }

    public record WorkspaceBilling(UUID workspaceId, String name, PlanTier tier, BillingPeriod period, int runsUsed,
                                   int runsAllocation, int overage, OverageStatus overageReports) {
    }
}
