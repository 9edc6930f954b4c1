package dev.flowline.auth;

import dev.flowline.testing.RecordingEvent;
import dev.flowline.users.AccountActivity;
import dev.flowline.auth.AuthErrors.HashingBusyException;
import dev.flowline.auth.AuthErrors.InvalidCredentialsException;
import dev.flowline.auth.AuthErrors.InvalidTokenException;
import dev.flowline.auth.AuthErrors.LoginDelayedException;
import dev.flowline.platform.errors.FlowlineException;
import dev.flowline.platform.mail.OutgoingMail;
import dev.flowline.platform.security.OpaqueTokens;
import dev.flowline.testing.MutableClock;
import dev.flowline.users.InMemoryUserRepository;
import dev.flowline.users.TokenPurpose;
import dev.flowline.users.User;
import dev.flowline.users.UserSignedUp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.flowline.testing.Threads.concurrently;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link AuthService} on in-memory repositories, a clock the test moves and a password hasher that counts its work:
 * the abuse cases of sign-in (parallel guesses, lockout by an attacker, hashing before checking, verification).
 */
class AuthServiceTest {

    private static final String PASSWORD = "correct horse battery";
    private static final String OWNER = "192.0.2.10";
    private static final String ATTACKER = "203.0.113.66";

    private final MutableClock clock = new MutableClock();
    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final InMemorySessionRepository sessionRows = new InMemorySessionRepository();
    private final InMemoryLoginThrottleRepository throttleRows = new InMemoryLoginThrottleRepository();
    private final CountingPasswordHasher passwords = new CountingPasswordHasher();
    private final List<OutgoingMail> mails = new ArrayList<>();
    private final List<AccountActivity> activity = new ArrayList<>();
    private AuthService auth;
    private SessionService sessions;

    @BeforeEach
    void wire() {
        AuthSettings settings = settings(8);
        sessions = new SessionService();
        sessions.sessions = sessionRows;
        sessions.settings = settings;
        sessions.clock = clock;
        LoginThrottle throttle = new LoginThrottle();
        throttle.attempts = throttleRows;
        throttle.settings = settings;
        throttle.clock = clock;
        HashingCapacity hashing = new HashingCapacity();
        hashing.settings = settings;
        hashing.size();
        auth = new AuthService();
        auth.users = users;
        auth.sessions = sessions;
        auth.passwords = passwords;
        auth.hashing = hashing;
        auth.throttle = throttle;
        auth.emails = new PlainAccountEmails();
        auth.settings = settings;
        auth.mail = new RecordingEvent<>(mails);
        auth.signedUp = new RecordingEvent<>(new ArrayList<>());
        auth.activity = new RecordingEvent<>(activity);
        auth.clock = clock;
    }

    static AuthSettings settings(int maxConcurrentHashing) {
        AuthSettings settings = new AuthSettings();
        settings.sessionTtlHours = 336;
        settings.sessionIdleMinutes = 60;
        settings.sessionTouchMinutes = 5;
        settings.freeFailures = 5;
        settings.firstDelaySeconds = 30;
        settings.maxDelayMinutes = 15;
        settings.forgetHours = 24;
        settings.passwordResetTtlMinutes = 60;
        settings.emailVerificationTtlHours = 72;
        settings.emailMinIntervalSeconds = 60;
        settings.maxConcurrentHashing = maxConcurrentHashing;
        return settings;
    }

    private User signup() {
        return auth.signup("user-" + java.util.UUID.randomUUID() + "@example.com", PASSWORD, "Ann");
    }

    /** Each action fires its account event (the audit log records it in the same transaction) and no other. */
    @Test
    void eachActionFiresItsAccountActivityAndNoOther() {
        User user = signup();
        assertThat(activity).extracting(AccountActivity::event).containsExactly("account.signed_up");
        Map<String, Runnable> actions = new LinkedHashMap<>();
        actions.put("account.signed_in", () -> auth.login(user.email(), PASSWORD, null, OWNER));
        actions.put("account.sign_in_failed", () -> outcome(() -> auth.login(user.email(), "wrong", null, OWNER)));
        actions.put("", () -> outcome(() -> auth.login("nobody-" + user.email(), PASSWORD, null, OWNER)));
        actions.put("account.password_changed", () -> auth.changePassword(user.id(), "none", PASSWORD, PASSWORD + "!", OWNER));
        actions.put("account.signed_out", () -> auth.logout(user.id(), "no-such-hash"));
        for (Map.Entry<String, Runnable> action : actions.entrySet()) {
            activity.clear();
            action.getValue().run();
            assertThat(activity).as(action.getKey()).extracting(AccountActivity::event)
                    .isEqualTo(action.getKey().isEmpty() ? List.of() : List.of(action.getKey()));
            assertThat(activity).allSatisfy(a -> assertThat(a.userId()).isEqualTo(user.id()));
        }
        activity.clear();
        outcome(() -> {
            auth.changePassword(user.id(), "none", "not the password", "whatever1", OWNER);
            return null;
        });
        assertThat(activity).extracting(AccountActivity::event).as("a wrong current password is a failed sign-in")
                .containsExactly("account.sign_in_failed");
        assertThat(activity.get(0).after()).doesNotContainValue("not the password");
    }

    @Test
    void parallelWrongPasswordsAreEachCountedBeforeAnyIsHashed() throws Exception {
        User user = signup();
        int hashesBefore = passwords.work();
        List<Callable<String>> guesses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String guess = "guess " + i;
            guesses.add(() -> outcome(() -> auth.login(user.email(), guess, null, ATTACKER)));
        }
        List<String> outcomes = concurrently(guesses);
        // five free failures, then a delay: the other three were refused without hashing
        assertThat(outcomes).filteredOn("invalid-credentials"::equals).hasSize(5);
        assertThat(outcomes).filteredOn("login-delayed"::equals).hasSize(3);
        assertThat(passwords.work() - hashesBefore).isEqualTo(5);
        assertThat(throttleRows.recordAttempt(user.id(), ATTACKER, clock.instant(),
                auth.settings.loginThrottlePolicy()).failures()).as("8 counted, then this one").isEqualTo(9);
    }

    @Test
    void theOwnerSignsInFromAnotherAddressWhileAnAttackerHammersTheAccount() {
        User user = signup();
        for (int i = 0; i < 50; i++) {
            outcome(() -> auth.login(user.email(), "a guess", null, ATTACKER));
        }
        assertThatThrownBy(() -> auth.login(user.email(), PASSWORD, null, ATTACKER))
                .as("the right password from the attacker's address waits too").isInstanceOf(LoginDelayedException.class);

        assertThat(auth.login(user.email(), PASSWORD, null, OWNER).userId()).isEqualTo(user.id());

        // delays grow for the attacker: after the first 30 s, the next is longer
        clock.advance(Duration.ofSeconds(31));
        assertThatThrownBy(() -> auth.login(user.email(), "guess", null, ATTACKER))
                .isInstanceOf(InvalidCredentialsException.class);
        assertThatThrownBy(() -> auth.login(user.email(), "guess", null, ATTACKER))
                .isInstanceOfSatisfying(LoginDelayedException.class,
                        e -> assertThat(e.retryAfterSeconds()).isEqualTo(15 * 60));
    }

    @Test
    void aPasswordResetLiftsEveryDelayOnTheAccount() {
        User user = signup();
        for (int i = 0; i < 6; i++) {
            outcome(() -> auth.login(user.email(), "guess", null, OWNER));
        }
        assertThatThrownBy(() -> auth.login(user.email(), PASSWORD, null, OWNER)).isInstanceOf(LoginDelayedException.class);
        clock.advance(Duration.ofSeconds(61));
        auth.requestPasswordReset(user.email());
        auth.confirmPasswordReset(tokenFrom(lastMail()), "a new password");
        assertThat(auth.login(user.email(), "a new password", null, OWNER).userId()).isEqualTo(user.id());
    }

    @Test
    void aResetTokenIsCheckedBeforeTheNewPasswordIsHashed() {
        signup();
        int before = passwords.work();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> auth.confirmPasswordReset(OpaqueTokens.generate(), "a new password"))
                    .isInstanceOf(InvalidTokenException.class);
        }
        assertThat(passwords.work()).isEqualTo(before);
    }

    @Test
    void verificationNeedsASessionOfTheAccountThatSignedUp() {
        User impostor = signup(); // signed up with someone else's address
        String token = tokenFrom(lastMail());
        IssuedSession impostorSession = sessions.open(impostor.id(), null);
        User victim = signup();
        IssuedSession victimSession = sessions.open(victim.id(), null);

        // the address's owner clicks the link while signed in to their own account: refused, token left intact
        assertThatThrownBy(() -> auth.verifyEmail(victim.id(), OpaqueTokens.hash(victimSession.token()), token))
                .isInstanceOf(InvalidTokenException.class);
        assertThat(users.findById(impostor.id()).orElseThrow().emailVerified()).isFalse();

        // only the account that signed up can use it; its other sessions end
        IssuedSession other = sessions.open(impostor.id(), null);
        auth.verifyEmail(impostor.id(), OpaqueTokens.hash(impostorSession.token()), token);
        assertThat(users.findById(impostor.id()).orElseThrow().emailVerified()).isTrue();
        assertThat(sessions.authenticate(impostorSession.token())).hasValue(impostor.id());
        assertThat(sessions.authenticate(other.token())).isEmpty();
    }

    @Test
    void aPasswordResetVerifiesTheAddressAndEndsEverySession() {
        User user = signup();
        IssuedSession session = sessions.open(user.id(), null);
        clock.advance(Duration.ofSeconds(61));
        auth.requestPasswordReset(user.email());
        auth.confirmPasswordReset(tokenFrom(lastMail()), "a new password");
        assertThat(users.findById(user.id()).orElseThrow().emailVerified()).isTrue();
        assertThat(sessions.authenticate(session.token())).isEmpty();
    }

    @Test
    void hashingBeyondTheBoundIsRefusedAtOnceInsteadOfQueued() throws Exception {
        auth.hashing = new HashingCapacity();
        auth.hashing.settings = settings(2);
        auth.hashing.size();
        User user = signup();
        passwords.hold();
        try {
            List<Callable<String>> logins = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String address = "198.51.100." + i;
                logins.add(() -> outcome(() -> auth.login(user.email(), PASSWORD, null, address)));
            }
            Thread release = new Thread(() -> {
                passwords.awaitHolding(2);
                try {
                    Thread.sleep(200); // the other four arrive while both slots are taken
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                passwords.release();
            });
            release.start();
            List<String> outcomes = concurrently(logins);
            release.join();
            assertThat(outcomes).filteredOn("ok"::equals).hasSize(2);
            assertThat(outcomes).filteredOn("sign-in-busy"::equals).hasSize(4);
        } finally {
            passwords.release();
        }
        assertThatThrownBy(() -> { throw new HashingBusyException(); })
                .isInstanceOfSatisfying(HashingBusyException.class, e -> assertThat(e.status()).isEqualTo(429));
    }

    @Test
    void anIdleSessionEndsAndUseWritesItsLastSeenTimeAtMostEveryFewMinutes() {
        User user = signup();
        IssuedSession session = sessions.open(user.id(), null);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(20));
            assertThat(sessions.authenticate(session.token())).hasValue(user.id());
        }
        assertThat(sessionRows.touches()).as("200 s of use, touched after 5 minutes at most").isZero();
        clock.advance(Duration.ofMinutes(5));
        assertThat(sessions.authenticate(session.token())).isPresent();
        assertThat(sessionRows.touches()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(59));
        assertThat(sessions.authenticate(session.token())).as("59 minutes idle of 60").isPresent();
        clock.advance(Duration.ofMinutes(61));
        assertThat(sessions.authenticate(session.token())).as("61 minutes idle").isEmpty();
    }

    private OutgoingMail lastMail() {
        return mails.get(mails.size() - 1);
    }

    private static String tokenFrom(OutgoingMail mail) {
        return mail.body().strip();
    }

    private static String outcome(Callable<?> call) {
        try {
            call.call();
            return "ok";
        } catch (FlowlineException e) {
            return e.type();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Mails whose body is just the token. */
    static final class PlainAccountEmails extends AccountEmails {
        @Override
        OutgoingMail verification(String to, String name, String token, Duration validFor) {
            return new OutgoingMail(to, "verify", token);
        }

        @Override
        OutgoingMail passwordReset(String to, String name, String token, Duration validFor) {
            return new OutgoingMail(to, "reset", token);
        }
    }

    /** "Hashes" in no time, counts every hash and verification, and can hold them to fill the hashing slots. */
    static final class CountingPasswordHasher extends PasswordHasher {
        private final AtomicInteger work = new AtomicInteger();
        private final AtomicInteger holding = new AtomicInteger();
        private volatile CountDownLatch gate = new CountDownLatch(0);

        int work() {
            return work.get();
        }

        void hold() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        void awaitHolding(int count) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (holding.get() < count && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }

        private void spend() {
            work.incrementAndGet();
            holding.incrementAndGet();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding.decrementAndGet();
            }
        }

        @Override
        public String hash(String password) {
            spend();
            return "hash:" + password;
        }

        @Override
        public boolean verify(String password, String hash) {
            spend();
            return hash.equals("hash:" + password);
        }

        @Override
        public void verifyDecoy(String password) {
            spend();
        }
    }
}
