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

    public static final class LoginLockedException extends RateLimitedException {
        public LoginLockedException(Duration retryAfter) {
            super("login-locked", "Too many failed logins",
                    "Too many failed logins for this account; try again later (see Retry-After).", retryAfter);
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
