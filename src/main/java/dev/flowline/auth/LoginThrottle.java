package dev.flowline.auth;

import dev.flowline.auth.AuthErrors.LoginDelayedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Slows down password guessing per (account, client address) instead of locking the account for everyone: an
 * attacker who hammers an account only delays their own address, and the owner signs in from theirs (or resets the
 * password, which forgets every address's failures). Each attempt is counted before the password is hashed, so
 * parallel guesses cannot all slip through before the first failure is recorded.
 */
@ApplicationScoped
public class LoginThrottle {

    @Inject
    LoginThrottleRepository attempts;

    @Inject
    AuthSettings settings;

    @Inject
    Clock clock;

    /** Counts this attempt; throws {@link LoginDelayedException} (429) while a delay runs for this address. */
    public void admit(UUID userId, String clientAddress) {
        Instant now = clock.instant();
        LoginAttempt attempt = attempts.recordAttempt(userId, clientAddress, now, settings.loginThrottlePolicy());
        if (!attempt.admitted()) {
            throw new LoginDelayedException(Duration.between(now, attempt.blockedUntil()));
        }
    }

    public void succeeded(UUID userId, String clientAddress) {
        attempts.forget(userId, clientAddress);
    }

    public void forgetAll(UUID userId) {
        attempts.forgetAll(userId);
    }
}
