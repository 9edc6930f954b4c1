package dev.flowline.billing;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.StripeObject;
import com.stripe.model.SubscriptionItem;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import dev.flowline.billing.BillingErrors.BillingDisabledException;
import dev.flowline.billing.BillingErrors.UnreadableEventException;
import dev.flowline.billing.BillingErrors.WebhookSignatureException;
import dev.flowline.platform.json.Jsons;
import dev.flowline.users.UserRepository;
import dev.flowline.workspaces.BillingPeriod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Stripe webhooks: {@link #verify} checks the {@code Stripe-Signature} over the exact raw body with the endpoint
 * secret; {@link #apply} records the event id in {@code stripe_event_log} and applies its effect in one transaction,
 * so a redelivered or concurrently delivered event has its effect once. Effects on a user's subscription take the
 * user's lock and compare the event's creation time with that of the event applied last, so an event that arrives
 * late never moves the state back.
 */
@ApplicationScoped
public class StripeWebhooks {

    private static final Logger LOG = Logger.getLogger(StripeWebhooks.class.getName());

    /** What a delivery did. */
    public enum Outcome { APPLIED, STALE, IGNORED, DUPLICATE }

    static final String PAYMENT_FAILED = "Your last payment failed. Update your payment method in the billing portal;"
            + " Stripe will try again.";

    @Inject
    BillingSettings settings;

    @Inject
    BillingRepository billing;

    @Inject
    UserRepository users;

    @Inject
    PlanSync planSync;

    @Inject
    Clock clock;

    /** The event, if {@code signatureHeader} signs exactly {@code payload} with the endpoint secret and is recent. */
    public Event verify(String payload, String signatureHeader) {
        String secret = settings.webhookSecret().filter(s -> settings.enabled()).orElseThrow(BillingDisabledException::new);
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new WebhookSignatureException("The Stripe-Signature header is missing.");
        }
        try {
            return Webhook.constructEvent(payload, signatureHeader, secret, settings.webhookToleranceSeconds(), clock);
        } catch (SignatureVerificationException e) {
            throw new WebhookSignatureException("The Stripe-Signature does not match the body, or its timestamp is too old.");
        } catch (RuntimeException notAnEvent) { // Gson's parse errors (a runtime dependency only)
            throw new WebhookSignatureException("The signed body is not a Stripe event.");
        }
    }

    @Transactional
    public Outcome apply(Event event) {
        Instant created = Instant.ofEpochSecond(Objects.requireNonNullElse(event.getCreated(), 0L));
        if (!billing.recordEvent(event.getId(), event.getType(), created, clock.instant())) {
            return Outcome.DUPLICATE;
        }
        Outcome outcome = switch (event.getType()) {
            case "checkout.session.completed" -> checkoutCompleted(read(event, Session.class), created);
            case "checkout.session.expired" -> checkoutExpired(read(event, Session.class));
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted" ->
                    subscriptionChanged(read(event, com.stripe.model.Subscription.class), event.getType(), created);
            case "invoice.paid" -> invoicePaid(read(event, Invoice.class), created);
            case "invoice.payment_failed" -> invoicePaymentFailed(read(event, Invoice.class), created);
            default -> {
                LOG.info(() -> "Stripe event " + event.getId() + " of type " + event.getType() + " acknowledged, not handled");
                yield Outcome.IGNORED;
            }
        };
        billing.setEventOutcome(event.getId(), outcome.name());
        return outcome;
    }

    /**
     * The event's object. An event of another API version than the library's cannot be read safely: it is logged
     * and refused (not recorded, so Stripe delivers it again and an operator can replay it), never dropped.
     */
    private static <T extends StripeObject> T read(Event event, Class<T> type) {
        Optional<StripeObject> object = event.getDataObjectDeserializer().getObject();
        if (object.isEmpty() || !type.isInstance(object.get())) {
            LOG.warning(() -> "Stripe event " + event.getId() + " (" + event.getType() + ", API version "
                    + event.getApiVersion() + ") cannot be read by this stripe-java version: not applied; Stripe will"
                    + " retry it. Pin the webhook endpoint's API version, then replay the event.");
            throw new UnreadableEventException(event.getId(), event.getApiVersion());
        }
        return type.cast(object.get());
    }

    // --- checkout.session.expired: the user's checkout slot is free again, the pending checkout gone

    private Outcome checkoutExpired(Session session) {
        billing.endCheckoutSession(session.getId());
        Optional<UUID> found = userOf(session.getClientReferenceId(), session.getMetadata(), session.getCustomer());
        found.ifPresent(userId -> forgetPendingCheckout(userId, session.getId()));
        return Outcome.APPLIED;
    }

    /** Removes the pending checkout from the user's billing state if it is this session's. */
    private void forgetPendingCheckout(UUID userId, String sessionId) {
        updateBilling(userId, b -> {
            JsonObject pending = b.get("pending_checkout") instanceof JsonObject p ? p : null;
            return pending != null && sessionId.equals(pending.getString("session_id", null))
                    ? Jsons.createObjectBuilder(b).remove("pending_checkout").build() : b;
        });
    }

    // --- checkout.session.completed: link the customer and the subscription, clear the pending checkout, upgrade

    private Outcome checkoutCompleted(Session session, Instant created) {
        if (!"subscription".equals(session.getMode())) {
            return Outcome.IGNORED;
        }
        Optional<UUID> found = userOf(session.getClientReferenceId(), session.getMetadata(), session.getCustomer());
        if (found.isEmpty()) {
            LOG.warning(() -> "Checkout session " + session.getId() + " names no Flowline user: not applied");
            return Outcome.IGNORED;
        }
        UUID userId = found.get();
        billing.lockAccount(userId);
        billing.endCheckoutSession(session.getId());
        if (session.getCustomer() != null && !users.setStripeCustomerId(userId, session.getCustomer()).equals(session.getCustomer())) {
            LOG.warning(() -> "Checkout session " + session.getId() + " is for another customer than user " + userId + "'s: not applied");
            return Outcome.IGNORED;
        }
        forgetPendingCheckout(userId, session.getId());
        boolean paid = "paid".equals(session.getPaymentStatus()) || "no_payment_required".equals(session.getPaymentStatus());
        if (session.getSubscription() == null || !paid) {
            return Outcome.APPLIED;
        }
        Optional<Subscription> known = billing.findSubscription(userId);
        if (known.isPresent() && known.get().lastEventAt().isAfter(created)) {
            return Outcome.STALE; // a later event already said how this (or a newer) subscription stands
        }
        Subscription next = known.filter(s -> s.stripeSubscriptionId().equals(session.getSubscription()))
                .map(s -> s.paid() ? s.with(s.status(), true, created) : s.with("active", true, created))
                .orElseGet(() -> new Subscription(userId, session.getSubscription(), "active", true, null, null, created));
        billing.saveSubscription(next, clock.instant());
        planSync.apply(userId);
        return Outcome.APPLIED;
    }

    // --- customer.subscription.created|updated|deleted: status, plan, period, overage item

    private Outcome subscriptionChanged(com.stripe.model.Subscription subscription, String type, Instant created) {
        Optional<UUID> found = userOf(null, subscription.getMetadata(), subscription.getCustomer());
        if (found.isEmpty()) {
            LOG.warning(() -> "Subscription " + subscription.getId() + " belongs to no Flowline user: not applied");
            return Outcome.IGNORED;
        }
        UUID userId = found.get();
        billing.lockAccount(userId);
        boolean deleted = type.endsWith(".deleted");
        String status = deleted ? "canceled" : subscription.getStatus();
        boolean paid = !deleted && Subscription.paysFor(status);
        Optional<Subscription> known = billing.findSubscription(userId);
        if (known.isPresent()) {
            Subscription current = known.get();
            boolean same = current.stripeSubscriptionId().equals(subscription.getId());
            if (current.lastEventAt().isAfter(created)
                    || (same && current.lastEventAt().equals(created) && type.endsWith(".created"))
                    || (same && "canceled".equals(current.status()) && !deleted)) {
                return Outcome.STALE;
            }
            if (!same && current.paid() && !paid) {
                return Outcome.IGNORED; // another, unpaid subscription (an abandoned checkout) does not end the paying one
            }
        }
        List<SubscriptionItem> items = subscription.getItems() == null ? List.of() : subscription.getItems().getData();
        String overagePrice = settings.overagePrice().orElse(null);
        Optional<SubscriptionItem> overage = items.stream()
                .filter(item -> item.getPrice() != null && Objects.equals(item.getPrice().getId(), overagePrice)).findFirst();
        Optional<SubscriptionItem> base = items.stream().filter(item -> overage.filter(item::equals).isEmpty()).findFirst();
        BillingPeriod period = base.filter(i -> i.getCurrentPeriodStart() != null && i.getCurrentPeriodEnd() != null
                        && i.getCurrentPeriodEnd() > i.getCurrentPeriodStart())
                .map(i -> new BillingPeriod(Instant.ofEpochSecond(i.getCurrentPeriodStart()), Instant.ofEpochSecond(i.getCurrentPeriodEnd())))
                .orElse(null);
        billing.saveSubscription(new Subscription(userId, subscription.getId(), status, paid, period,
                overage.map(SubscriptionItem::getId).orElse(null), created), clock.instant());
        planSync.apply(userId);
        return Outcome.APPLIED;
    }

    // --- invoices: a payment failure is shown (past due, last error); a paid invoice clears it

    private Outcome invoicePaid(Invoice invoice, Instant created) {
        return invoiceOutcome(invoice, created, true);
    }

    private Outcome invoicePaymentFailed(Invoice invoice, Instant created) {
        return invoiceOutcome(invoice, created, false);
    }

    private Outcome invoiceOutcome(Invoice invoice, Instant created, boolean paidNow) {
        Optional<UUID> found = Optional.ofNullable(invoice.getCustomer()).flatMap(users::findUserIdByStripeCustomerId);
        if (found.isEmpty()) {
            return Outcome.IGNORED;
        }
        UUID userId = found.get();
        billing.lockAccount(userId);
        Optional<Subscription> known = billing.findSubscription(userId);
        String subscriptionId = invoice.getParent() == null || invoice.getParent().getSubscriptionDetails() == null ? null
                : invoice.getParent().getSubscriptionDetails().getSubscription();
        if (known.isPresent() && known.get().lastEventAt().isAfter(created)) {
            return Outcome.STALE;
        }
        Instant now = clock.instant();
        if (paidNow) {
            updateBilling(userId, b -> Jsons.createObjectBuilder(b).remove("last_error").remove("last_error_at").build());
        } else {
            updateBilling(userId, b -> Jsons.createObjectBuilder(b).add("last_error", PAYMENT_FAILED)
                    .add("last_error_at", now.toString()).build());
        }
        known.filter(s -> s.stripeSubscriptionId().equals(subscriptionId)).ifPresent(s -> {
            if (!paidNow && "active".equals(s.status())) {
                billing.saveSubscription(s.with("past_due", true, created), now);
            } else if (paidNow && "past_due".equals(s.status())) {
                billing.saveSubscription(s.with("active", true, created), now);
            }
        });
        return Outcome.APPLIED;
    }

    // --- helpers

    private Optional<UUID> userOf(String clientReferenceId, Map<String, String> metadata, String customerId) {
        Optional<UUID> byCustomer = Optional.ofNullable(customerId).flatMap(users::findUserIdByStripeCustomerId);
        if (byCustomer.isPresent()) {
            return byCustomer;
        }
        String named = clientReferenceId != null ? clientReferenceId
                : metadata == null ? null : metadata.get(BillingService.USER_KEY);
        try {
            return Optional.ofNullable(named).map(UUID::fromString).filter(id -> users.findById(id).isPresent());
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    /** Changes {@code settings.billing} under the user's row lock. */
    private void updateBilling(UUID userId, java.util.function.UnaryOperator<JsonObject> change) {
        users.updateSettings(userId, settingsNow -> {
            JsonObject current = settingsNow.containsKey("billing") && settingsNow.get("billing") instanceof JsonObject b
                    ? b : Jsons.createObjectBuilder().build();
            JsonObjectBuilder next = Jsons.createObjectBuilder(settingsNow);
            return next.add("billing", change.apply(current)).build();
        }, clock.instant());
    }
}
