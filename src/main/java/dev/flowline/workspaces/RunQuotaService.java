package dev.flowline.workspaces;

import dev.flowline.workspaces.WorkspaceErrors.RunQuotaExceededException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Run quotas: one unit per run, counted per billing period (the workspace's Stripe cycle when it has one that
 * covers now, else the calendar month in UTC). The database decides atomically whether a unit is within the plan's
 * allocation, overage, or refused.
 */
@ApplicationScoped
@Transactional
public class RunQuotaService {

    /** A consumed unit, to give back with {@link #release} if the run it paid for is not created after all. */
    public record RunUnit(UUID workspaceId, BillingPeriod period, RunConsumption kind) {
    }

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    RunUsageRepository runUsage;

    @Inject
    PlanCatalog plans;

    @Inject
    Clock clock;

    public BillingPeriod currentPeriod(UUID workspaceId) {
        Instant now = clock.instant();
        return runUsage.getBillingCycle(workspaceId)
                .map(BillingCycle::currentPeriod)
                .filter(period -> !now.isBefore(period.start()) && now.isBefore(period.end()))
                .orElseGet(() -> BillingPeriod.calendarMonthOf(now));
    }

    /** Takes one unit; 402 when the allocation is used up and the plan allows no overage. */
    public RunUnit consume(UUID workspaceId) {
        RunUnit unit = take(workspaceId);
        if (unit.kind() == RunConsumption.REFUSED) {
            throw new RunQuotaExceededException(allocation(workspaceId));
        }
        return unit;
    }

    /**
     * Takes one unit, or answers a unit of kind REFUSED without throwing: for callers that must go on in the same
     * transaction (an exception here would mark it for rollback) and record the refusal visibly.
     */
    public RunUnit take(UUID workspaceId) {
        PlanLimits limits = plans.limits(workspaces.getPlan(workspaceId).orElseThrow());
        BillingPeriod period = currentPeriod(workspaceId);
        return new RunUnit(workspaceId, period,
                runUsage.tryConsumeRun(workspaceId, period, limits.runsPerPeriod(), limits.overageAllowed()));
    }

    public int allocation(UUID workspaceId) {
        return plans.limits(workspaces.getPlan(workspaceId).orElseThrow()).runsPerPeriod();
    }

    /** Gives back a unit a run took in the period starting at {@code periodStart}. */
    public void release(UUID workspaceId, Instant periodStart, RunConsumption kind) {
        if (kind != RunConsumption.REFUSED) {
            runUsage.releaseRun(workspaceId, periodStart, kind);
        }
    }

    public void release(RunUnit unit) {
        if (unit.kind() != RunConsumption.REFUSED) {
            runUsage.releaseRun(unit.workspaceId(), unit.period().start(), unit.kind());
        }
    }
}
