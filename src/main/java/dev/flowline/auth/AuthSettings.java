package dev.flowline.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/** Authentication policy from MicroProfile Config ({@code flowline.auth.*}). */
@ApplicationScoped
public class AuthSettings {

    @Inject
    @ConfigProperty(name = "flowline.auth.session-ttl-hours", defaultValue = "336")
    long sessionTtlHours;

    @Inject
    @ConfigProperty(name = "flowline.auth.login.max-failures", defaultValue = "5")
    int maxFailedLogins;

    @Inject
    @ConfigProperty(name = "flowline.auth.login.lock-minutes", defaultValue = "15")
    long lockMinutes;

    @Inject
    @ConfigProperty(name = "flowline.auth.password-reset-ttl-minutes", defaultValue = "60")
    long passwordResetTtlMinutes;

    @Inject
    @ConfigProperty(name = "flowline.auth.email-verification-ttl-hours", defaultValue = "72")
    long emailVerificationTtlHours;

    @Inject
    @ConfigProperty(name = "flowline.auth.cookie-secure", defaultValue = "true")
    boolean cookieSecure;

    @Inject
    @ConfigProperty(name = "flowline.auth.email-min-interval-seconds", defaultValue = "60")
    long emailMinIntervalSeconds;

    public Duration sessionTtl() {
        return Duration.ofHours(sessionTtlHours);
    }

    public int maxFailedLogins() {
        return maxFailedLogins;
    }

    public Duration lockDuration() {
        return Duration.ofMinutes(lockMinutes);
    }

    public Duration passwordResetTtl() {
        return Duration.ofMinutes(passwordResetTtlMinutes);
    }

    public Duration emailVerificationTtl() {
        return Duration.ofHours(emailVerificationTtlHours);
    }

    /** At most one verification or reset email per account and purpose in this time. */
    public Duration emailMinInterval() {
        return Duration.ofSeconds(emailMinIntervalSeconds);
    }

    public boolean cookieSecure() {
        return cookieSecure;
    }
}
