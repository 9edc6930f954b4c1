package dev.flowline.triggers;

import dev.flowline.platform.errors.AuthenticationFailedException;

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
}
