package dev.flowline.triggers;

import dev.flowline.platform.errors.AuthenticationFailedException;
import dev.flowline.platform.errors.RateLimitedException;

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
}
