package dev.flowline.billing.api;

/** Stripe's customer portal for the caller (payment method, invoices, plan changes, cancellation). */
public record PortalResponse(String url) {
}
