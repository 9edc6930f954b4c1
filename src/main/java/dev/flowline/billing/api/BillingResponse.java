package dev.flowline.billing.api;

import dev.flowline.billing.BillingOverview;
import dev.flowline.billing.OverageStatus;
import dev.flowline.billing.Subscription;
import dev.flowline.users.AccountPlan;
import dev.flowline.workspaces.PlanTier;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The caller's billing: account plan, subscription (absent before the first checkout completes), the checkout in
 * progress, the last payment error, and per owned workspace its tier, the current period, runs used and overage
 * (with how much of it Stripe has been told).
 */
public record BillingResponse(AccountPlan plan, SubscriptionView subscription, PendingCheckout pendingCheckout,
                              LastError lastError, List<WorkspaceView> workspaces) {

    public record SubscriptionView(String stripeSubscriptionId, String status, Instant currentPeriodStart, Instant currentPeriodEnd) {
    }

    public record PendingCheckout(String stripeSessionId, String plan, Instant startedAt) {
    }

    public record LastError(String message, Instant at) {
    }

    /** {@code overageReported}: units Stripe has received; {@code overagePending}: units still to send (or failing). */
    public record WorkspaceView(UUID workspaceId, String name, PlanTier tier, Instant periodStart, Instant periodEnd,
                                int runsUsed, int runsAllocation, int overage, int overageReported, int overagePending,
                                LastError overageReportError) {
    }

    static BillingResponse of(BillingOverview o) {
        Subscription s = o.subscription();
        return new BillingResponse(o.plan(),
                s == null ? null : new SubscriptionView(s.stripeSubscriptionId(), s.status(),
                        s.currentPeriod() == null ? null : s.currentPeriod().start(),
                        s.currentPeriod() == null ? null : s.currentPeriod().end()),
                o.pendingCheckout() == null ? null : new PendingCheckout(o.pendingCheckout().sessionId(),
                        o.pendingCheckout().plan(), o.pendingCheckout().startedAt()),
                o.lastError() == null ? null : new LastError(o.lastError(), o.lastErrorAt()),
                o.workspaces().stream().map(w -> {
                    OverageStatus r = w.overageReports();
                    return new WorkspaceView(w.workspaceId(), w.name(), w.tier(), w.period().start(), w.period().end(),
                            w.runsUsed(), w.runsAllocation(), w.overage(), r.reportedUnits(), r.pendingUnits(),
                            r.lastError() == null ? null : new LastError(r.lastError(), r.lastErrorAt()));
                }).toList());
    }
}
