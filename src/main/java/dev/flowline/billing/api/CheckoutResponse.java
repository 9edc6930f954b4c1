package dev.flowline.billing.api;

/** Where to send the customer: Stripe's hosted Checkout page. */
public record CheckoutResponse(String stripeSessionId, String url) {
}
