package dev.flowline.workspaces;

/**
 * What a tier allows: seats (members plus pending invitations), runs per billing period, whether runs beyond
 * that are recorded as overage (billed as metered usage) or refused, and whether connections can be shared.
 */
public record PlanLimits(PlanTier tier, int seats, int runsPerPeriod, boolean overageAllowed, boolean sharedConnections) {

    /** A workspace with one seat is its owner's alone: nobody can be invited. */
    public boolean allowsInvitations() {
        return seats > 1;
    }
}
