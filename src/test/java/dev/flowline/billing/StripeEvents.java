package dev.flowline.billing;

import com.stripe.net.Webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Objects;

/**
 * Stripe event payloads for tests, from the fixtures in {@code src/test/resources/stripe/} (Stripe's documented
 * shapes, API version 2026-07-29.dahlia) with their {@code {{PLACEHOLDERS}}} filled in, and signed as Stripe signs.
 */
public final class StripeEvents {

    public static final String SECRET = "whsec_test_flowline_billing";

    private StripeEvents() {
    }

    public static String event(String fixture, Map<String, String> values) {
        String text;
        try (InputStream in = Objects.requireNonNull(StripeEvents.class.getResourceAsStream("/stripe/" + fixture + ".json"), fixture)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("{{" + value.getKey() + "}}", value.getValue());
        }
        if (text.contains("{{")) {
            throw new IllegalArgumentException("Unfilled placeholder in " + fixture + ": "
                    + text.substring(text.indexOf("{{"), text.indexOf("}}", text.indexOf("{{")) + 2));
        }
        return text;
    }

    /** The Stripe-Signature header for {@code payload} at {@code epochSeconds} with {@code secret}. */
    public static String sign(String payload, String secret, long epochSeconds) {
        try {
            return Webhook.Signature.generateSignatureHeader(payload, secret, epochSeconds);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
