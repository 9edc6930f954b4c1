package dev.flowline.workspaces;

/** Seats and runs of a workspace in its current period, against its plan's limits. */
public record WorkspaceUsage(PlanLimits plan, int seatsUsed, RunUsage runs) {
}
