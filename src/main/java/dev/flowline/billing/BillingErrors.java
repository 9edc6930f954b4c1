package dev.flowline.billing;

import dev.flowline.platform.errors.ConflictException;
import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.FlowlineException;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.errors.ResourceNotFoundException;

import java.util.List;

/** The typed errors of billing. */
public final class BillingErrors {

    private BillingErrors() {
    }

    /** Billing is off: {@code flowline.stripe.api-key} (or, for webhooks, {@code .webhook-secret}) is not set. */
    public static final class BillingDisabledException extends ResourceNotFoundException {
        public BillingDisabledException() {
            super("billing-disabled", "Billing is not set up",
                    "This Flowline installation does not sell plans: billing with Stripe is not configured.");
        }
    }

    public static final class PlanNotForSaleException extends InvalidInputException {
        public PlanNotForSaleException(String plan) {
            super("plan-not-for-sale", "Plan not for sale", "The plan " + plan + " cannot be bought here.",
                    List.of(new FieldError("plan", "not for sale")));
        }
    }

    public static final class AlreadySubscribedException extends ConflictException {
        public AlreadySubscribedException() {
            super("already-subscribed", "Already subscribed",
                    "You already have a subscription: change or cancel it in the billing portal.");
        }
    }

    /** Another checkout of the same user is being created right now (a double click, a second tab). */
    public static final class CheckoutInProgressException extends ConflictException {
        public CheckoutInProgressException() {
            super("checkout-in-progress", "Checkout in progress",
                    "Another checkout of yours is being started right now: use that one, or try again in a moment.");
        }
    }

    /** The checkout a new one would replace has been paid: its subscription is on its way. */
    public static final class CheckoutCompletedException extends ConflictException {
        public CheckoutCompletedException() {
            super("checkout-completed", "Checkout already paid",
                    "A checkout you started earlier has just been paid; your plan changes as soon as Stripe confirms it.");
        }
    }

    public static final class NoBillingAccountException extends ConflictException {
        public NoBillingAccountException() {
            super("no-billing-account", "No billing account yet",
                    "You have not bought a plan yet: start a checkout first.");
        }
    }

    /** Stripe refused or could not be reached; nothing was changed here and the caller may retry. 502. */
    public static final class StripeFailedException extends FlowlineException {
        public StripeFailedException(String what, String stripeMessage) {
            super("stripe-failed", "Payment provider error",
                    "Stripe failed " + what + ". Nothing was charged; please try again in a moment.");
            this.stripeMessage = stripeMessage;
        }

        private final String stripeMessage;

        /** Stripe's own message (secrets redacted), for the log and the stored last error. */
        public String stripeMessage() {
            return stripeMessage;
        }

        @Override
        public int status() {
            return 502;
        }
    }

    /** 400: the Stripe-Signature header is missing, wrong, or too old, or the body was changed. */
    public static final class WebhookSignatureException extends InvalidInputException {
        public WebhookSignatureException(String detail) {
            super("stripe-signature-invalid", "Invalid Stripe signature", detail,
                    List.of(new FieldError("Stripe-Signature", "invalid")));
        }
    }

    /**
     * 422: a signed event whose object this version of the library cannot read (another API version). It is not
     * recorded, so Stripe delivers it again, and an operator can replay it once the endpoint's version is fixed.
     */
    public static final class UnreadableEventException extends FlowlineException {
        public UnreadableEventException(String eventId, String apiVersion) {
            super("stripe-event-unreadable", "Unreadable Stripe event",
                    "Event " + eventId + " (API version " + apiVersion + ") cannot be read by this server; it was not applied.");
        }

        @Override
        public int status() {
            return 422;
        }
    }
}
