package dev.flowline.billing;

import dev.flowline.workspaces.BillingPeriod;

import java.time.Instant;
import java.util.UUID;

/**
 * A user's Stripe subscription as the last applied event described it. {@code paid} says whether it pays for the
 * paid tier now (active, trialing, or past due while Stripe retries the payment); {@code currentPeriod} is the base
 * plan item's period (null until an event carried it); {@code lastEventAt} the creation time of that event.
 */
public record Subscription(UUID userId, String stripeSubscriptionId, String status, boolean paid,
                           BillingPeriod currentPeriod, String overageItemId, Instant lastEventAt) {

    /** The statuses in which a subscription pays for its plan. */
    public static boolean paysFor(String status) {
        return "active".equals(status) || "trialing".equals(status) || "past_due".equals(status);
    }

    Subscription with(String newStatus, boolean newPaid, Instant eventAt) {
        return new Subscription(userId, stripeSubscriptionId, newStatus, newPaid, currentPeriod, overageItemId, eventAt);
    }
}
