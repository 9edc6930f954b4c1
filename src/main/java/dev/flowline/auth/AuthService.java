package dev.flowline.auth;

import dev.flowline.auth.AuthErrors.EmailAlreadyVerifiedException;
import dev.flowline.auth.AuthErrors.EmailTakenException;
import dev.flowline.auth.AuthErrors.EmailTooSoonException;
import dev.flowline.auth.AuthErrors.InvalidCredentialsException;
import dev.flowline.auth.AuthErrors.InvalidTokenException;
import dev.flowline.auth.AuthErrors.LoginDelayedException;
import dev.flowline.auth.AuthErrors.WrongCurrentPasswordException;
import dev.flowline.platform.errors.FlowlineException;
import dev.flowline.platform.errors.ResourceNotFoundException;
import dev.flowline.platform.mail.OutgoingMail;
import dev.flowline.platform.security.OpaqueTokens;
import dev.flowline.users.AccountActivity;
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
    HashingCapacity hashing;

    @Inject
    LoginThrottle throttle;

    @Inject
    AccountEmails emails;

    @Inject
    AuthSettings settings;

    @Inject
    Event<OutgoingMail> mail;

    @Inject
    Event<UserSignedUp> signedUp;

    @Inject
    Event<AccountActivity> activity;

    @Inject
    Clock clock;

    public User signup(String email, String password, String name) {
        String hash;
        try (HashingCapacity.Slot slot = hashing.admit()) {
            hash = passwords.hash(password); // before the transaction touches the database
        }
        Instant now = clock.instant();
        User user = users.create(new NewUser(email.strip(), name.strip(), hash), now)
                .orElseThrow(EmailTakenException::new);
        signedUp.fire(new UserSignedUp(user.id(), user.name()));
        activity.fire(AccountActivity.signedUp(user.id(), user.email()));
        sendVerification(user, now);
        return user;
    }

    /**
     * Verifies the address of the signed-in account with the token mailed to it. The token alone is not enough:
     * whoever clicks it must be signed in to the account that asked for it (knows its password), so a person whose
     * address someone else signed up with cannot verify that stranger's account by clicking. A token of another
     * account is refused like an invalid one and stays usable by its own account. Ends every other session of the
     * account: sessions opened before the address was proven may belong to someone else.
     */
    public void verifyEmail(UUID userId, String currentSessionHash, String token) {
        Instant now = clock.instant();
        if (!users.consumeTokenOf(userId, TokenPurpose.EMAIL_VERIFICATION, OpaqueTokens.hash(token), now)) {
            throw new InvalidTokenException();
        }
        users.markEmailVerified(userId, now);
        sessions.revokeAllExcept(userId, currentSessionHash);
        activity.fire(AccountActivity.emailVerified(userId));
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
     * Checks the password and opens a session. Attempts are counted per account and client address before the
     * password is hashed ({@link LoginThrottle}); a success forgets that address's failures. Unknown emails cost the
     * same hashing time as known ones. A wrong password for an account is recorded ({@link AccountActivity}) in this
     * transaction, which commits on that refusal (as it must for the throttle's count).
     */
    @Transactional(dontRollbackOn = {InvalidCredentialsException.class, LoginDelayedException.class})
    public IssuedSession login(String email, String password, String userAgent, String clientAddress) {
        User user = checkPassword(users.findByEmail(email.strip()), password, clientAddress,
                InvalidCredentialsException::new);
        throttle.succeeded(user.id(), clientAddress);
        IssuedSession session = sessions.open(user.id(), userAgent);
        activity.fire(AccountActivity.signedIn(user.id()));
        return session;
    }

    /** Revokes the session with this token hash, the signed-in user's. */
    public void logout(UUID userId, String sessionTokenHash) {
        sessions.revoke(sessionTokenHash);
        activity.fire(AccountActivity.signedOut(userId));
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

    /**
     * Sets the new password, forgets every address's failed logins and signs the user out everywhere. The token is
     * consumed before the new password is hashed, so invalid tokens cost no hashing (a busy hasher rolls the
     * consumption back). The link proves control of the mailbox and every other session ends, so the address counts
     * as verified too.
     */
    public void confirmPasswordReset(String token, String newPassword) {
        Instant now = clock.instant();
        UUID userId = users.consumeToken(TokenPurpose.PASSWORD_RESET, OpaqueTokens.hash(token), now)
                .orElseThrow(InvalidTokenException::new);
        String hash;
        try (HashingCapacity.Slot slot = hashing.admit()) {
            hash = passwords.hash(newPassword);
        }
        users.setPasswordHash(userId, hash, now);
        users.markEmailVerified(userId, now);
        throttle.forgetAll(userId);
        sessions.revokeAll(userId);
        activity.fire(AccountActivity.passwordReset(userId));
    }

    /**
     * Changes the password of a signed-in user who knows the current one, and signs out every other session.
     * A wrong current password counts as a failed login, so this cannot be used to guess it faster.
     */
    @Transactional(dontRollbackOn = {WrongCurrentPasswordException.class, LoginDelayedException.class})
    public void changePassword(UUID userId, String currentSessionHash, String currentPassword, String newPassword,
                               String clientAddress) {
        Instant now = clock.instant();
        User user = users.findById(userId).orElseThrow(() -> new ResourceNotFoundException("No such user."));
        checkPassword(Optional.of(user), currentPassword, clientAddress, WrongCurrentPasswordException::new);
        String hash;
        try (HashingCapacity.Slot slot = hashing.admit()) {
            hash = passwords.hash(newPassword);
        }
        users.setPasswordHash(userId, hash, now);
        throttle.succeeded(userId, clientAddress);
        sessions.revokeAllExcept(userId, currentSessionHash);
        activity.fire(AccountActivity.passwordChanged(userId));
    }

    /**
     * The one place a password is checked against an account's stored hash. Returns the account if the password
     * matches; otherwise throws {@code rejection}. Takes a hashing slot first ({@link HashingCapacity}: 429 when none
     * is free), then counts the attempt for (account, client address) in its own transaction, which refuses it with
     * {@link LoginDelayedException} while a delay runs; only then hashes. No account: a decoy hash is verified, so an
     * unknown email costs the same time as a known one.
     */
    private User checkPassword(Optional<User> account, String password, String clientAddress,
                               Supplier<? extends FlowlineException> rejection) {
        try (HashingCapacity.Slot slot = hashing.admit()) {
            if (account.isEmpty()) {
                passwords.verifyDecoy(password);
                throw rejection.get();
            }
            User user = account.get();
            throttle.admit(user.id(), clientAddress);
            if (!passwords.verify(password, user.passwordHash())) {
                activity.fire(AccountActivity.signInFailed(user.id(), "wrong password"));
                throw rejection.get();
            }
            return user;
        }
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
