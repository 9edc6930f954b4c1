package dev.flowline.triggers;

import dev.flowline.platform.errors.AuthenticationFailedException;
import dev.flowline.platform.errors.RateLimitedException;
import dev.flowline.platform.errors.ResourceNotFoundException;

import java.time.Duration;

/** The typed errors of trigger deliveries. */
public final class TriggerErrors {

    private TriggerErrors() {
    }

    public static final class WebhookRejectedException extends AuthenticationFailedException {
        public WebhookRejectedException(String detail) {
            super("webhook-signature-rejected", "Webhook signature rejected", detail);
        }

        /** Webhooks authenticate by signature (X-Flowline-Signature), not by a session. */
        @Override
        public String challenge() {
            return "Flowline-Signature realm=\"webhooks\", headers=\"X-Flowline-Timestamp X-Flowline-Signature\"";
        }
    }

    /** More deliveries in flight than {@code flowline.webhooks.max-concurrent} for longer than the wait allows. */
    public static final class DeliveriesBusyException extends RateLimitedException {
        public DeliveriesBusyException(Duration retryAfter) {
            super("webhook-deliveries-busy", "Too many webhook deliveries at once",
                    "The server is accepting as many webhook deliveries as it may at once; retry after the"
                            + " Retry-After delay.", retryAfter);
        }
    }

    /**
     * One answer for every resume URL that does nothing (a wrong signature, an unknown run, a node that is not a wait
     * of the run, a run that ended, a wait that ended), so that a caller learns nothing from trying.
     */
    public static final class ResumeUrlNotFoundException extends ResourceNotFoundException {
        public ResumeUrlNotFoundException() {
            super("resume-url-not-found", "No such resume URL",
                    "This resume URL is unknown, was used already, or its wait is over.");
        }
    }
}
