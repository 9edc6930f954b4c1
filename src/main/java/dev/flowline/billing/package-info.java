/**
 * Billing with Stripe: Checkout and the customer portal ({@link dev.flowline.billing.BillingService}), signed
 * webhooks applied once and in order ({@link dev.flowline.billing.StripeWebhooks}), the one plan story (the owner's
 * subscription sets their {@code AccountPlan} and the tier of every workspace they own:
 * {@link dev.flowline.billing.PlanSync}), and metered overage reported as Billing Meter events from an outbox
 * ({@link dev.flowline.billing.OverageReporting}, driven by the engine's background job). Off without
 * {@code flowline.stripe.api-key}. Uses {@code workspaces}, {@code users} and {@code platform}; used by {@code engine}.
 */
package dev.flowline.billing;
