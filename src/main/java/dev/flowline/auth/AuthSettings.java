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
    @ConfigProperty(name = "flowline.auth.session-idle-minutes", defaultValue = "1440")
    long sessionIdleMinutes;

    @Inject
    @ConfigProperty(name = "flowline.auth.session-touch-minutes", defaultValue = "5")
    long sessionTouchMinutes;

    @Inject
    @ConfigProperty(name = "flowline.auth.login.free-failures", defaultValue = "5")
    int freeFailures;

    @Inject
    @ConfigProperty(name = "flowline.auth.login.first-delay-seconds", defaultValue = "30")
    long firstDelaySeconds;

    @Inject
    @ConfigProperty(name = "flowline.auth.login.max-delay-minutes", defaultValue = "15")
    long maxDelayMinutes;

    @Inject
    @ConfigProperty(name = "flowline.auth.login.forget-hours", defaultValue = "24")
    long forgetHours;

    @Inject
    @ConfigProperty(name = "flowline.auth.limit.per-address-per-minute", defaultValue = "20")
    long perAddressPerMinute;

    @Inject
    @ConfigProperty(name = "flowline.auth.limit.global-per-minute", defaultValue = "600")
    long globalPerMinute;

    @Inject
    @ConfigProperty(name = "flowline.auth.limit.tracked-addresses", defaultValue = "100000")
    long trackedAddresses;

    @Inject
    @ConfigProperty(name = "flowline.auth.hashing.max-concurrent", defaultValue = "0")
    int maxConcurrentHashing;

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

    /** A session unused for this long ends, whatever its lifetime says. */
    public Duration sessionIdleTimeout() {
        return Duration.ofMinutes(sessionIdleMinutes);
    }

    /** A session's last-seen time is written at most once in this time, so most requests only read. */
    public Duration sessionTouchInterval() {
        return Duration.ofMinutes(sessionTouchMinutes);
    }

    public LoginThrottlePolicy loginThrottlePolicy() {
        Duration maxDelay = Duration.ofMinutes(maxDelayMinutes);
        // failures are forgotten only once no delay can still be running
        Duration forgetAfter = Duration.ofHours(forgetHours).compareTo(maxDelay) < 0 ? maxDelay : Duration.ofHours(forgetHours);
        return new LoginThrottlePolicy(Math.max(1, freeFailures), Duration.ofSeconds(firstDelaySeconds), maxDelay,
                forgetAfter);
    }

    /** Requests to the unauthenticated sign-in endpoints per client address and minute (also the burst). */
    public long perAddressPerMinute() {
        return perAddressPerMinute;
    }

    /** The same, for all clients together. */
    public long globalPerMinute() {
        return globalPerMinute;
    }

    /** How many client addresses the per-address limit remembers at once (least recently seen go first). */
    public long trackedAddresses() {
        return trackedAddresses;
    }

    /** Password hashes computed at once; 0 means one per processor. */
    public int maxConcurrentHashing() {
        return maxConcurrentHashing > 0 ? maxConcurrentHashing : Runtime.getRuntime().availableProcessors();
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
