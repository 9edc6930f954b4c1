package dev.flowline.users.jpa;

import dev.flowline.auth.SessionRepository;
import dev.flowline.platform.security.OpaqueTokens;
import dev.flowline.support.IssueReport;
import dev.flowline.support.NewIssueReport;
import dev.flowline.testing.Deployments;
import dev.flowline.users.AccountPlan;
import dev.flowline.users.NewUser;
import dev.flowline.users.TokenPurpose;
import dev.flowline.users.User;
import dev.flowline.users.UserRepository;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.WorkspaceRepository;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.transaction.UserTransaction;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import jakarta.annotation.Resource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Persistence tests of {@link JpaUserRepository} and the JPA session repository, inside Payara Micro on the real
 * PostgreSQL: every native statement and the atomicity claims (unique emails, single-use tokens, lock-out).
 * Runs in the container, so it asserts with JUnit only (no AssertJ in the archive).
 */
@ExtendWith(ArquillianExtension.class)
class JpaRepositoriesIT {

    // microsecond precision: what timestamptz keeps
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @Deployment
    static WebArchive deployment() {
        return Deployments.product().addClass(JpaRepositoriesIT.class);
    }

    @Inject
    UserRepository users;

    @Inject
    SessionRepository sessions;

    @Inject
    WorkspaceRepository workspaces;

    @Resource
    UserTransaction transaction;

    private User newUser() {
        String email = "jpa-" + UUID.randomUUID() + "@Example.com";
        return users.create(new NewUser(email, "Jo", "PBKDF2WithHmacSHA256:600000:c2FsdA==:aGFzaA=="), NOW).orElseThrow();
    }

    @Test
    void createsUsersWithUniqueEmailsIgnoringCase() {
        User user = newUser();
        assertEquals(user, users.findById(user.id()).orElseThrow());
        assertEquals(user.id(), users.findByEmail(user.email().toUpperCase()).orElseThrow().id());
        assertTrue(users.create(new NewUser(user.email().toLowerCase(), "Other", "x"), NOW).isEmpty());
        assertEquals(AccountPlan.FREE, user.plan());
        assertEquals(JsonObject.EMPTY_JSON_OBJECT, user.settings());
        assertTrue(users.findById(UUID.randomUUID()).isEmpty());
    }

    @Test
    void marksTheEmailVerifiedOnceAndUpdatesProfileFields() {
        User user = newUser();
        assertTrue(users.markEmailVerified(user.id(), NOW));
        assertFalse(users.markEmailVerified(user.id(), NOW.plusSeconds(5)));
        users.setPasswordHash(user.id(), "new-hash", NOW);
        users.updateName(user.id(), "Joanna", NOW);
        users.updatePlan(user.id(), AccountPlan.PRO);
        User stored = users.findById(user.id()).orElseThrow();
        assertEquals(NOW, stored.emailVerifiedAt());
        assertEquals("new-hash", stored.passwordHash());
        assertEquals("Joanna", stored.name());
        assertEquals(AccountPlan.PRO, stored.plan());
    }

    @Test
    void tokensAreSingleUseExpiringAndBoundToTheirPurpose() {
        User user = newUser();
        String hash = OpaqueTokens.hash(OpaqueTokens.generate());
        users.storeToken(user.id(), TokenPurpose.PASSWORD_RESET, hash, NOW, NOW.plusSeconds(60));
        assertTrue(users.consumeToken(TokenPurpose.EMAIL_VERIFICATION, hash, NOW).isEmpty());
        assertTrue(users.consumeToken(TokenPurpose.PASSWORD_RESET, hash, NOW.plusSeconds(60)).isEmpty(), "expired");
        assertEquals(Optional.of(user.id()), users.consumeToken(TokenPurpose.PASSWORD_RESET, hash, NOW.plusSeconds(59)));
        assertTrue(users.consumeToken(TokenPurpose.PASSWORD_RESET, hash, NOW.plusSeconds(1)).isEmpty(), "used");
    }

    @Test
    void aNewTokenInvalidatesTheEarlierOneOfThatPurposeOnly() {
        User user = newUser();
        String verification = OpaqueTokens.hash(OpaqueTokens.generate());
        String firstReset = OpaqueTokens.hash(OpaqueTokens.generate());
        String secondReset = OpaqueTokens.hash(OpaqueTokens.generate());
        users.storeToken(user.id(), TokenPurpose.EMAIL_VERIFICATION, verification, NOW, NOW.plusSeconds(600));
        users.storeToken(user.id(), TokenPurpose.PASSWORD_RESET, firstReset, NOW, NOW.plusSeconds(600));
        users.storeToken(user.id(), TokenPurpose.PASSWORD_RESET, secondReset, NOW, NOW.plusSeconds(600));
        assertEquals(Optional.of(NOW), users.lastTokenIssuedAt(user.id(), TokenPurpose.PASSWORD_RESET));
        assertTrue(users.lastTokenIssuedAt(newUser().id(), TokenPurpose.PASSWORD_RESET).isEmpty());
        assertTrue(users.consumeToken(TokenPurpose.PASSWORD_RESET, firstReset, NOW).isEmpty());
        assertTrue(users.consumeToken(TokenPurpose.PASSWORD_RESET, secondReset, NOW).isPresent());
        assertTrue(users.consumeToken(TokenPurpose.EMAIL_VERIFICATION, verification, NOW).isPresent());
    }

    @Test
    void concurrentConsumersOfOneTokenGetItOnce() throws Exception {
        User user = newUser();
        String hash = OpaqueTokens.hash(OpaqueTokens.generate());
        users.storeToken(user.id(), TokenPurpose.PASSWORD_RESET, hash, NOW, NOW.plusSeconds(600));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> consumers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                consumers.add(() -> users.consumeToken(TokenPurpose.PASSWORD_RESET, hash, NOW).isPresent());
            }
            int successes = 0;
            for (Future<Boolean> result : pool.invokeAll(consumers)) {
                successes += result.get() ? 1 : 0;
            }
            assertEquals(1, successes);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void failedLoginsLockAtTheLimitAndClear() {
        User user = newUser();
        Duration lockFor = Duration.ofMinutes(15);
        for (int i = 1; i < 3; i++) {
            assertTrue(users.recordFailedLogin(user.id(), NOW, 3, lockFor).isEmpty(), "failure " + i);
        }
        assertEquals(2, users.findById(user.id()).orElseThrow().failedLoginCount());
        assertEquals(Optional.of(NOW.plus(lockFor)), users.recordFailedLogin(user.id(), NOW, 3, lockFor));
        User locked = users.findById(user.id()).orElseThrow();
        assertTrue(locked.lockedAt(NOW));
        assertEquals(0, locked.failedLoginCount());
        users.clearFailedLogins(user.id());
        User cleared = users.findById(user.id()).orElseThrow();
        assertNull(cleared.lockedUntil());
        assertEquals(0, cleared.failedLoginCount());
    }

    @Test
    void settingsAreReplacedUnderTheRowLock() throws Exception {
        User user = newUser();
        JsonObject patched = users.updateSettings(user.id(),
                current -> Json.createObjectBuilder(current).add("theme", "dark").build(), NOW).orElseThrow();
        assertEquals("dark", patched.getString("theme"));
        assertEquals(patched, users.getSettings(user.id()).orElseThrow());
        assertTrue(users.updateSettings(UUID.randomUUID(), c -> c, NOW).isEmpty());

        // Concurrent read-modify-write updates each add a key; the row lock keeps all of them.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Object>> updates = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String key = "k" + i;
                updates.add(() -> users.updateSettings(user.id(),
                        current -> Json.createObjectBuilder(current).add(key, true).build(), NOW));
            }
            for (Future<Object> f : pool.invokeAll(updates)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(13, users.getSettings(user.id()).orElseThrow().size());
    }

    @Test
    void stripeCustomerIdIsSetOnceAndFindsItsUser() {
        User user = newUser();
        String customer = "cus_" + UUID.randomUUID().toString().replace("-", "");
        assertTrue(users.getStripeCustomerId(user.id()).isEmpty());
        assertEquals(customer, users.setStripeCustomerId(user.id(), customer));
        assertEquals(customer, users.setStripeCustomerId(user.id(), "cus_other"), "the first id stays");
        assertEquals(Optional.of(customer), users.getStripeCustomerId(user.id()));
        assertEquals(Optional.of(user.id()), users.findUserIdByStripeCustomerId(customer));
        assertTrue(users.findUserIdByStripeCustomerId("cus_unknown").isEmpty());
    }

    @Test
    void clearingAPendingCheckoutRecordsTheErrorAndKeepsOtherSettings() {
        User user = newUser();
        users.updateSettings(user.id(), c -> Json.createObjectBuilder().add("theme", "light").build(), NOW);
        users.recordPendingCheckout(user.id(), "cs_test_123", NOW);
        JsonObject pending = users.getSettings(user.id()).orElseThrow().getJsonObject("billing");
        assertEquals("cs_test_123", pending.getJsonObject("pending_checkout").getString("session_id"));

        Instant failedAt = NOW.plusSeconds(30);
        assertTrue(users.clearPendingCheckout(user.id(), "card_declined", failedAt));
        JsonObject settings = users.getSettings(user.id()).orElseThrow();
        JsonObject billing = settings.getJsonObject("billing");
        assertFalse(billing.containsKey("pending_checkout"));
        assertEquals("card_declined", billing.getString("last_error"));
        assertEquals(failedAt.toString(), billing.getString("last_error_at"));
        assertEquals("light", settings.getString("theme"));
        assertFalse(users.clearPendingCheckout(UUID.randomUUID(), "x", failedAt));
    }

    @Test
    void issueReportsAreReadableByTheirReporterOnly() {
        User user = newUser();
        UUID workspace = workspaces.create("Reports", false, PlanTier.WORKSPACE, user.id(), NOW).id();
        IssueReport report = users.insertIssueReport(
                new NewIssueReport(user.id(), workspace, "It broke", "curl/8", "1.0.0"), NOW);
        assertNotNull(report.id());
        assertEquals(report, users.findIssueReport(report.id(), user.id()).orElseThrow());
        assertTrue(users.findIssueReport(report.id(), newUser().id()).isEmpty());

        IssueReport withoutWorkspace = users.insertIssueReport(new NewIssueReport(user.id(), null, "No context", null, null), NOW);
        assertEquals(withoutWorkspace, users.findIssueReport(withoutWorkspace.id(), user.id()).orElseThrow());
        workspaces.delete(workspace);
        assertNull(users.findIssueReport(report.id(), user.id()).orElseThrow().workspaceId(), "kept, without its workspace");
    }

    @Test
    void sessionsAreFoundWhileActiveAndRevoked() throws Exception {
        User user = newUser();
        String first = OpaqueTokens.hash(OpaqueTokens.generate());
        String second = OpaqueTokens.hash(OpaqueTokens.generate());
        String third = OpaqueTokens.hash(OpaqueTokens.generate());
        sessions.create(user.id(), first, NOW, NOW.plusSeconds(3600), "ua");
        sessions.create(user.id(), second, NOW, NOW.plusSeconds(3600), null);
        sessions.create(user.id(), third, NOW, NOW.plusSeconds(3600), null);

        assertEquals(Optional.of(user.id()), sessions.findActiveUserId(first, NOW));
        assertTrue(sessions.findActiveUserId(first, NOW.plusSeconds(3600)).isEmpty(), "expired");
        assertTrue(sessions.revoke(first, NOW));
        assertFalse(sessions.revoke(first, NOW), "already revoked");
        assertTrue(sessions.findActiveUserId(first, NOW).isEmpty());

        assertEquals(1, sessions.revokeAllForUserExcept(user.id(), second, NOW));
        assertTrue(sessions.findActiveUserId(second, NOW).isPresent());
        assertTrue(sessions.findActiveUserId(third, NOW).isEmpty());
        assertEquals(1, sessions.revokeAllForUser(user.id(), NOW));
        assertTrue(sessions.findActiveUserId(second, NOW).isEmpty());
    }

    @Test
    void aRolledBackTransactionLeavesNoUserBehind() throws Exception {
        String email = "rollback-" + UUID.randomUUID() + "@example.com";
        transaction.begin();
        users.create(new NewUser(email, "Ghost", "x"), NOW).orElseThrow();
        transaction.rollback();
        assertTrue(users.findByEmail(email).isEmpty());
    }
}
