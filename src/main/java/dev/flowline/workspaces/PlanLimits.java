package dev.flowline.workspaces;

/**
 * What a tier allows: seats (members plus pending invitations), runs per billing period, whether runs beyond
 * that are recorded as overage (billed as metered usage) or refused, whether connections can be shared, and for how
 * many days finished runs are kept.
 */
public record PlanLimits(PlanTier tier, int seats, int runsPerPeriod, boolean overageAllowed, boolean sharedConnections,
                         int runRetentionDays) {

    /** A workspace with one seat is its owner's alone: nobody can be invited. */
    public boolean allowsInvitations() {
        return seats > 1;
    }
}
