package dev.flowline.workspaces.api;

import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.WorkspaceUsage;

import java.time.Instant;

/** Seats (members plus pending invitations) and runs of the current billing period. */
public record UsageResponse(PlanTier plan, Seats seats, Runs runs, Instant periodStart, Instant periodEnd) {

    public record Seats(int used, int limit) {
    }

    /** {@code used} counts runs within the allocation, {@code overage} those beyond it. */
    public record Runs(int used, int allocation, int overage, boolean overageAllowed) {
    }

    static UsageResponse of(WorkspaceUsage usage) {
        var plan = usage.plan();
        var runs = usage.runs();
        return new UsageResponse(plan.tier(), new Seats(usage.seatsUsed(), plan.seats()),
                new Runs(runs.used(), plan.runsPerPeriod(), runs.overage(), plan.overageAllowed()),
                runs.period().start(), runs.period().end());
    }
}
