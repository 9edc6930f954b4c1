package dev.flowline.auth;

import dev.flowline.auth.AuthErrors.SignInRateLimitedException;
import dev.flowline.platform.security.KeyedRateLimiter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Optional;

/**
 * Rate limits of the unauthenticated sign-in endpoints (signup, login, password reset request and confirmation):
 * token buckets per client address and one for all clients ({@code flowline.auth.limit.*}). Requests authenticated
 * by a session never pass here, so a flood of sign-in attempts leaves signed-in users alone.
 */
@ApplicationScoped
public class SignInLimits {

    private static final String GLOBAL = "*";

    @Inject
    AuthSettings settings;

    private KeyedRateLimiter perAddress;
    private KeyedRateLimiter global;

    @PostConstruct
    void build() {
        perAddress = new KeyedRateLimiter(settings.perAddressPerMinute(), Duration.ofMinutes(1), settings.trackedAddresses());
        global = new KeyedRateLimiter(settings.globalPerMinute(), Duration.ofMinutes(1), 1);
    }

    /** Takes a permit for a request from {@code clientAddress}; throws {@link SignInRateLimitedException} (429). */
    public void admit(String clientAddress) {
        Optional<Duration> wait = perAddress.tryAcquire(clientAddress).or(() -> global.tryAcquire(GLOBAL));
        if (wait.isPresent()) {
            throw new SignInRateLimitedException(wait.get());
        }
    }
}
