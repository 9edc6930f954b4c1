package dev.flowline.auth;

import dev.flowline.platform.errors.AuthenticationFailedException;
import dev.flowline.platform.errors.ConflictException;
import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.errors.RateLimitedException;

import java.time.Duration;
import java.util.List;

/** The typed errors of signing up and signing in. */
public final class AuthErrors {

    private AuthErrors() {
    }

    public static final class EmailTakenException extends ConflictException {
        public EmailTakenException() {
            super("email-taken", "Email already registered", "An account with this email address already exists.");
        }
    }

    public static final class InvalidCredentialsException extends AuthenticationFailedException {
        public InvalidCredentialsException() {
            super("invalid-credentials", "Invalid credentials", "The email address or the password is incorrect.");
        }
    }

    /** Failed logins of this account from this client address: a growing delay (other addresses are unaffected). */
    public static final class LoginDelayedException extends RateLimitedException {
        public LoginDelayedException(Duration retryAfter) {
            super("login-delayed", "Too many failed logins",
                    "Too many failed logins for this account from your address; try again later (see Retry-After)"
                            + " or reset your password.", retryAfter);
        }
    }

    public static final class SignInRateLimitedException extends RateLimitedException {
        public SignInRateLimitedException(Duration retryAfter) {
            super("sign-in-rate-limited", "Too many requests",
                    "Too many sign-in requests; try again later (see Retry-After).", retryAfter);
        }
    }

    /** Every password hashing slot is busy: answered at once rather than queued. */
    public static final class HashingBusyException extends RateLimitedException {
        public HashingBusyException() {
            super("sign-in-busy", "Sign-in is busy", "Too many sign-ins at this moment; try again in a second.",
                    Duration.ofSeconds(1));
        }
    }

    public static final class EmailTooSoonException extends RateLimitedException {
        public EmailTooSoonException(Duration retryAfter) {
            super("email-too-soon", "Email sent recently",
                    "An email of this kind was sent moments ago; wait before asking for another (see Retry-After).",
                    retryAfter);
        }
    }

    public static final class InvalidTokenException extends InvalidInputException {
        public InvalidTokenException() {
            super("invalid-token", "Invalid or expired token",
                    "This link is invalid, expired or already used. Ask for a new one.",
                    List.of(new FieldError("token", "invalid, expired or already used")));
        }
    }

    public static final class EmailAlreadyVerifiedException extends ConflictException {
        public EmailAlreadyVerifiedException() {
            super("email-already-verified", "Email already verified", "This account's email address is already verified.");
        }
    }

    public static final class WrongCurrentPasswordException extends InvalidInputException {
        public WrongCurrentPasswordException() {
            super("wrong-current-password", "Current password is incorrect", "The current password is incorrect.",
                    List.of(new FieldError("currentPassword", "incorrect")));
        }
    }
}
