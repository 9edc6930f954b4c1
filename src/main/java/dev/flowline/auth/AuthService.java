package dev.flowline.auth;

import dev.flowline.auth.AuthErrors.EmailAlreadyVerifiedException;
import dev.flowline.auth.AuthErrors.EmailTakenException;
import dev.flowline.auth.AuthErrors.EmailTooSoonException;
import dev.flowline.auth.AuthErrors.InvalidCredentialsException;
import dev.flowline.auth.AuthErrors.InvalidTokenException;
import dev.flowline.auth.AuthErrors.LoginLockedException;
import dev.flowline.auth.AuthErrors.WrongCurrentPasswordException;
import dev.flowline.platform.errors.FlowlineException;
import dev.flowline.platform.errors.ResourceNotFoundException;
import dev.flowline.platform.mail.OutgoingMail;
import dev.flowline.platform.security.OpaqueTokens;
import dev.flowline.users.NewUser;
import dev.flowline.users.TokenPurpose;
import dev.flowline.users.User;
import dev.flowline.users.UserRepository;
import dev.flowline.users.UserSignedUp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Signing up, verifying the email address, signing in and out, and resetting or changing the password.
 * Emails are CDI events sent after commit, so a rolled-back change never mails a dead link.
 */
@ApplicationScoped
@Transactional
public class AuthService {

    @Inject
    UserRepository users;

    @Inject
    SessionService sessions;

    @Inject
    PasswordHasher passwords;

    @Inject
    AccountEmails emails;

    @Inject
    AuthSettings settings;

    @Inject
    Event<OutgoingMail> mail;

    @Inject
    Event<UserSignedUp> signedUp;

    @Inject
    Clock clock;

    public User signup(String email, String password, String name) {
        String hash = passwords.hash(password); // before the transaction touches the database
        Instant now = clock.instant();
        User user = users.create(new NewUser(email.strip(), name.strip(), hash), now)
                .orElseThrow(EmailTakenException::new);
        signedUp.fire(new UserSignedUp(user.id(), user.name()));
        sendVerification(user, now);
        return user;
    }

    public void verifyEmail(String token) {
        Instant now = clock.instant();
        UUID userId = users.consumeToken(TokenPurpose.EMAIL_VERIFICATION, OpaqueTokens.hash(token), now)
                .orElseThrow(InvalidTokenException::new);
        users.markEmailVerified(userId, now);
    }

    public void resendVerification(UUID userId) {
        User user = users.findById(userId).orElseThrow(() -> new ResourceNotFoundException("No such user."));
        if (user.emailVerified()) {
            throw new EmailAlreadyVerifiedException();
        }
        Instant now = clock.instant();
        Optional<Duration> wait = tooSoon(user, TokenPurpose.EMAIL_VERIFICATION, now);
        if (wait.isPresent()) {
            throw new EmailTooSoonException(wait.get());
        }
        sendVerification(user, now);
    }

    /**
     * Checks the password and opens a session. Failed attempts count even though this method throws, so they
     * must not roll back; after {@code flowline.auth.login.max-failures} the account is locked for a while (429).
     * Unknown emails cost the same hashing time as known ones.
     */
    @Transactional(dontRollbackOn = {InvalidCredentialsException.class, LoginLockedException.class})
    public IssuedSession login(String email, String password, String userAgent) {
        Instant now = clock.instant();
        User user = checkPassword(users.findByEmail(email.strip()), password, now, InvalidCredentialsException::new);
        if (user.failedLoginCount() > 0 || user.lockedUntil() != null) {
            users.clearFailedLogins(user.id());
        }
        return sessions.open(user.id(), userAgent);
    }

    /** Revokes the session with this token hash. */
    public void logout(String sessionTokenHash) {
        sessions.revoke(sessionTokenHash);
    }

    /**
     * Always succeeds from the caller's view, so nobody learns which emails have accounts. A repeat within
     * {@code flowline.auth.email-min-interval-seconds} sends nothing, so nobody can flood an inbox through it.
     */
    public void requestPasswordReset(String email) {
        Instant now = clock.instant();
        users.findByEmail(email.strip())
                .filter(user -> tooSoon(user, TokenPurpose.PASSWORD_RESET, now).isEmpty())
                .ifPresent(user -> {
                    String token = OpaqueTokens.generate();
                    Duration ttl = settings.passwordResetTtl();
                    users.storeToken(user.id(), TokenPurpose.PASSWORD_RESET, OpaqueTokens.hash(token), now, now.plus(ttl));
                    mail.fire(emails.passwordReset(user.email(), user.name(), token, ttl));
                });
    }

    /** Sets the new password, lifts any login lock and signs the user out everywhere. */
    public void confirmPasswordReset(String token, String newPassword) {
        String hash = passwords.hash(newPassword);
        Instant now = clock.instant();
        UUID userId = users.consumeToken(TokenPurpose.PASSWORD_RESET, OpaqueTokens.hash(token), now)
                .orElseThrow(InvalidTokenException::new);
        users.setPasswordHash(userId, hash, now);
        users.clearFailedLogins(userId);
        sessions.revokeAll(userId);
    }

    /**
     * Changes the password of a signed-in user who knows the current one, and signs out every other session.
     * A wrong current password counts as a failed login, so this cannot be used to guess it faster.
     */
    @Transactional(dontRollbackOn = {WrongCurrentPasswordException.class, LoginLockedException.class})
    public void changePassword(UUID userId, String currentSessionHash, String currentPassword, String newPassword) {
        Instant now = clock.instant();
        User user = users.findById(userId).orElseThrow(() -> new ResourceNotFoundException("No such user."));
        checkPassword(Optional.of(user), currentPassword, now, WrongCurrentPasswordException::new);
        users.setPasswordHash(userId, passwords.hash(newPassword), now);
        users.clearFailedLogins(userId);
        sessions.revokeAllExcept(userId, currentSessionHash);
    }

    /**
     * The one place a password is checked against an account's stored hash. Returns the account if the password
     * matches; otherwise throws {@code rejection} (or {@link LoginLockedException} once the account is locked).
     * No account: a decoy hash is verified, so an unknown email costs the same time as a known one. A locked account
     * is refused before hashing. A wrong password counts as a failed login and locks the account after
     * {@code flowline.auth.login.max-failures}; callers must not roll that count back
     * ({@code @Transactional(dontRollbackOn = ...)}).
     */
    private User checkPassword(Optional<User> account, String password, Instant now,
                               Supplier<? extends FlowlineException> rejection) {
        if (account.isEmpty()) {
            passwords.verifyDecoy(password);
            throw rejection.get();
        }
        User user = account.get();
        if (user.lockedAt(now)) {
            throw new LoginLockedException(Duration.between(now, user.lockedUntil()));
        }
        if (!passwords.verify(password, user.passwordHash())) {
            Optional<Instant> lockedUntil = users.recordFailedLogin(user.id(), now, settings.maxFailedLogins(),
                    settings.lockDuration());
            if (lockedUntil.isPresent()) {
                throw new LoginLockedException(Duration.between(now, lockedUntil.get()));
            }
            throw rejection.get();
        }
        return user;
    }

    /** How long to wait before another email of this purpose may go to this user, if any. */
    private Optional<Duration> tooSoon(User user, TokenPurpose purpose, Instant now) {
        return users.lastTokenIssuedAt(user.id(), purpose)
                .map(last -> Duration.between(now, last.plus(settings.emailMinInterval())))
                .filter(wait -> wait.compareTo(Duration.ZERO) > 0);
    }

    private void sendVerification(User user, Instant now) {
        String token = OpaqueTokens.generate();
        Duration ttl = settings.emailVerificationTtl();
        users.storeToken(user.id(), TokenPurpose.EMAIL_VERIFICATION, OpaqueTokens.hash(token), now, now.plus(ttl));
        mail.fire(emails.verification(user.email(), user.name(), token, ttl));
    }
}
