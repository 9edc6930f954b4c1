package dev.flowline.billing;

import dev.flowline.users.AccountPlan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.util.Locale;
import java.util.Optional;

/**
 * Billing's configuration ({@code flowline.stripe.*}). Billing is on when {@code flowline.stripe.api-key} is set.
 * The key and the webhook secret are handed only to the Stripe client and the signature check: never logged, never
 * in a response or an exception message.
 */
@ApplicationScoped
public class BillingSettings {

    @Inject
    Config config;

    public boolean enabled() {
        return apiKey().isPresent();
    }

    Optional<String> apiKey() {
        return value("flowline.stripe.api-key");
    }

    Optional<String> webhookSecret() {
        return value("flowline.stripe.webhook-secret");
    }

    /** The Stripe Price of a paid plan ({@code flowline.stripe.price.<plan>}, e.g. {@code .price.pro}). */
    public Optional<String> priceOf(AccountPlan plan) {
        return value("flowline.stripe.price." + plan.name().toLowerCase(Locale.ROOT));
    }

    /** The metered Price of overage runs, added to every subscription when set. */
    public Optional<String> overagePrice() {
        return value("flowline.stripe.overage-price");
    }

    /** The event name of the Billing Meter that overage runs are reported to; no meter events without it. */
    public Optional<String> meterEventName() {
        return value("flowline.stripe.meter-event-name");
    }

    public String successUrl() {
        return value("flowline.stripe.success-url").orElse(publicBaseUrl() + "/billing?checkout=success");
    }

    public String cancelUrl() {
        return value("flowline.stripe.cancel-url").orElse(publicBaseUrl() + "/billing?checkout=canceled");
    }

    public String portalReturnUrl() {
        return value("flowline.stripe.portal-return-url").orElse(publicBaseUrl() + "/billing");
    }

    /** A different Stripe API address (a local stub in tests); Stripe's own when unset. */
    Optional<String> apiBase() {
        return value("flowline.stripe.api-base");
    }

    /** Seconds a webhook's signature timestamp may be old (Stripe's default tolerance is 300). */
    long webhookToleranceSeconds() {
        return config.getOptionalValue("flowline.stripe.webhook-tolerance-seconds", Long.class).orElse(300L);
    }

    private String publicBaseUrl() {
        String base = config.getOptionalValue("flowline.public-base-url", String.class).orElse("http://localhost:8080");
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private Optional<String> value(String key) {
        return config.getOptionalValue(key, String.class).map(String::strip).filter(v -> !v.isEmpty());
    }
}
