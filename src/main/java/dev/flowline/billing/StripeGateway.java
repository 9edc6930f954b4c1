package dev.flowline.billing;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.billing.MeterEventCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import dev.flowline.billing.BillingErrors.StripeFailedException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The calls Flowline makes to Stripe, through one {@link StripeClient} (stripe-java, API version
 * {@code 2026-07-29.dahlia}) built from {@link BillingSettings}; {@code flowline.stripe.api-base} points it elsewhere
 * (a local stub in tests). Every call carries an idempotency key. A failed call is logged without secrets and thrown
 * as {@link StripeFailedException} (502).
 */
@ApplicationScoped
public class StripeGateway {

    private static final Logger LOG = Logger.getLogger(StripeGateway.class.getName());
    private static final Pattern SECRETS = Pattern.compile("\\b(sk|rk|pk|whsec)_[A-Za-z0-9_*]+");

    /** The Checkout Session Flowline created: its id and the URL to send the customer to. */
    public record CheckoutSession(String id, String url) {
    }

    @Inject
    BillingSettings settings;

    private StripeClient client;

    @PostConstruct
    void build() {
        if (settings.enabled()) {
            StripeClient.StripeClientBuilder builder = StripeClient.builder()
                    .setApiKey(settings.apiKey().orElseThrow())
                    .setConnectTimeout(10_000)
                    .setReadTimeout(30_000)
                    .setMaxNetworkRetries(1);
            settings.apiBase().ifPresent(base -> builder.setApiBase(base).setMeterEventsBase(base));
            client = builder.build();
        }
    }

    /** Creates the user's Customer; the idempotency key is the user's id, so a retry never makes a second one. */
    public String createCustomer(String userId, String email, String name) {
        CustomerCreateParams params = CustomerCreateParams.builder()
                .setEmail(email).setName(name).putMetadata("flowline_user_id", userId).build();
        try {
            Customer customer = client().v1().customers().create(params, key("customer-" + userId));
            return customer.getId();
        } catch (StripeException e) {
            throw failed("creating the customer", e);
        }
    }

    /**
     * A subscription Checkout Session for {@code customerId}: the plan's price (quantity 1) and, when set, the metered
     * overage price (no quantity); {@code client_reference_id} is the user, metadata names the user, the workspace
     * and the plan, on the session and on the subscription it creates.
     */
    public CheckoutSession createCheckoutSession(String customerId, String planPrice, String overagePrice,
                                                 Map<String, String> metadata, String clientReferenceId,
                                                 String idempotencyKey) {
        SessionCreateParams.SubscriptionData.Builder subscription = SessionCreateParams.SubscriptionData.builder();
        metadata.forEach(subscription::putMetadata);
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                .setCustomer(customerId)
                .setClientReferenceId(clientReferenceId)
                .putAllMetadata(metadata)
                .setSubscriptionData(subscription.build())
                .setSuccessUrl(settings.successUrl())
                .setCancelUrl(settings.cancelUrl())
                .addLineItem(SessionCreateParams.LineItem.builder().setPrice(planPrice).setQuantity(1L).build());
        if (overagePrice != null) {
            params.addLineItem(SessionCreateParams.LineItem.builder().setPrice(overagePrice).build());
        }
        try {
            Session session = client().v1().checkout().sessions().create(params.build(), key(idempotencyKey));
            return new CheckoutSession(session.getId(), session.getUrl());
        } catch (StripeException e) {
            throw failed("creating the checkout session", e);
        }
    }

    /**
     * Makes sure the checkout session {@code sessionId} can no longer be paid: expires it while it is open. True when
     * it cannot be completed any more, false when the customer already completed it.
     */
    public boolean closeCheckoutSession(String sessionId) {
        try {
            Session session = client().v1().checkout().sessions().retrieve(sessionId);
            if (!"open".equals(session.getStatus())) {
                return !"complete".equals(session.getStatus());
            }
            try {
                return !"complete".equals(client().v1().checkout().sessions()
                        .expire(sessionId, key("expire-" + sessionId)).getStatus());
            } catch (InvalidRequestException notOpenAnyMore) {
                // completed or expired between the two calls: ask again
                return !"complete".equals(client().v1().checkout().sessions().retrieve(sessionId).getStatus());
            }
        } catch (StripeException e) {
            throw failed("closing the previous checkout session", e);
        }
    }

    /** A customer-portal session URL for {@code customerId}. */
    public String createPortalSession(String customerId, String idempotencyKey) {
        com.stripe.param.billingportal.SessionCreateParams params = com.stripe.param.billingportal.SessionCreateParams
                .builder().setCustomer(customerId).setReturnUrl(settings.portalReturnUrl()).build();
        try {
            return client().v1().billingPortal().sessions().create(params, key(idempotencyKey)).getUrl();
        } catch (StripeException e) {
            throw failed("creating the portal session", e);
        }
    }

    /**
     * Reports {@code value} units to the Billing Meter {@code eventName} for {@code customerId}. Stripe deduplicates on
     * {@code identifier}, which is also the idempotency key, so sending one report again never bills twice.
     */
    public void reportMeterEvent(String eventName, String identifier, String customerId, long value, Instant at) {
        MeterEventCreateParams params = MeterEventCreateParams.builder()
                .setEventName(eventName)
                .setIdentifier(identifier)
                .putPayload("stripe_customer_id", customerId)
                .putPayload("value", Long.toString(value))
                .setTimestamp(at.getEpochSecond())
                .build();
        try {
            client().v1().billing().meterEvents().create(params, key(identifier));
        } catch (StripeException e) {
            throw failed("reporting overage", e);
        }
    }

    /** A Stripe failure as text fit for the log and the database: no key or secret in it. */
    static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String redacted = SECRETS.matcher(message).replaceAll("$1_[redacted]");
        return redacted.length() > 500 ? redacted.substring(0, 500) : redacted;
    }

    private StripeClient client() {
        if (client == null) {
            throw new BillingErrors.BillingDisabledException();
        }
        return client;
    }

    private static RequestOptions key(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    private static StripeFailedException failed(String what, StripeException e) {
        String detail = describe(e);
        LOG.warning(() -> "Stripe failed " + what + " (request " + e.getRequestId() + ", status " + e.getStatusCode()
                + "): " + detail);
        return new StripeFailedException(what, detail);
    }
}
