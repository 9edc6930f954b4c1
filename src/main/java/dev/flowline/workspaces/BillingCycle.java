package dev.flowline.workspaces;

import java.util.UUID;

/** A workspace's Stripe subscription and its current period. */
public record BillingCycle(UUID workspaceId, String stripeSubscriptionId, BillingPeriod currentPeriod) {
}
