package dev.flowline.users.jpa;

import dev.flowline.audit.AuditEvent;
import dev.flowline.audit.AuditFilter;
import dev.flowline.audit.AuditRepository;
import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.security.Actor;
import dev.flowline.workspaces.Workspace;
import dev.flowline.workspaces.WorkspaceActivity;
import jakarta.enterprise.event.Event;
import java.sql.SQLException;
import dev.flowline.auth.ActiveSession;
import dev.flowline.auth.LoginAttempt;
import dev.flowline.auth.LoginThrottlePolicy;
import dev.flowline.auth.LoginThrottleRepository;
import dev.flowline.auth.SessionRepository;
import dev.flowline.connections.CredentialKind;
import dev.flowline.connections.CredentialOrigins;
import dev.flowline.connections.CredentialShape;
import dev.flowline.connections.NewCredential;
import dev.flowline.connections.StoredCredential;
import dev.flowline.connections.UserCredentialRepository;
import dev.flowline.platform.security.OpaqueTokens;
import dev.flowline.support.IssueReport;
import dev.flowline.support.IssueReportRepository;
import dev.flowline.support.NewIssueReport;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.Fixtures;
import dev.flowline.testing.Sql;
import dev.flowline.users.AccountPlan;
import dev.flowline.users.NewUser;
import dev.flowline.users.TokenPurpose;
import dev.flowline.users.User;
import dev.flowline.users.UserRepository;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.WorkspaceRepository;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.transaction.UserTransaction;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

import static dev.flowline.testing.Threads.concurrently;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Persistence tests of {@link JpaUserRepository}, the JPA session and issue report repositories, and the credential
 * statements of connections that no HTTP test reaches, inside Payara Micro on the real PostgreSQL: every native
 * statement and the atomicity claims (unique emails, single-use tokens, login throttling, session idle time, the
 * per-user credential limit).
 */
@ExtendWith(ArquillianExtension.class)
class JpaRepositoriesIT {

    // microsecond precision: what timestamptz keeps
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @Deployment
    static WebArchive deployment() {
        return Deployments.repositoriesOnPostgres();
    }

    @Inject
    UserRepository users;

    @Inject
    SessionRepository sessions;

    @Inject
    LoginThrottleRepository throttles;

    @Inject
    IssueReportRepository reports;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    UserCredentialRepository credentials;

    @Resource
    UserTransaction transaction;

    private User newUser() {
        return Fixtures.newUser(users, NOW);
    }

    @Test
    void createsUsersWithUniqueEmailsIgnoringCase() {
        User user = newUser();
        assertThat(users.findById(user.id()).orElseThrow()).isEqualTo(user);
        assertThat(users.findByEmail(user.email().toUpperCase()).orElseThrow().id()).isEqualTo(user.id());
        assertThat(users.create(new NewUser(user.email().toLowerCase(), "Other", "x"), NOW)).isEmpty();
        assertThat(user.plan()).isEqualTo(AccountPlan.FREE);
        assertThat(user.settings()).isEqualTo(JsonObject.EMPTY_JSON_OBJECT);
        assertThat(users.findById(UUID.randomUUID())).isEmpty();
    }

    @Test
    void marksTheEmailVerifiedOnceAndUpdatesProfileFields() {
        User user = newUser();
        assertThat(users.markEmailVerified(user.id(), NOW)).isTrue();
        assertThat(users.markEmailVerified(user.id(), NOW.plusSeconds(5))).isFalse();
        users.setPasswordHash(user.id(), "new-hash", NOW);
        users.updateName(user.id(), "Joanna", NOW);
        users.updatePlan(user.id(), AccountPlan.PRO);
        User stored = users.findById(user.id()).orElseThrow();
        assertThat(stored.emailVerifiedAt()).isEqualTo(NOW);
        assertThat(stored.passwordHash()).isEqualTo("new-hash");
        assertThat(stored.name()).isEqualTo("Joanna");
        assertThat(stored.plan()).isEqualTo(AccountPlan.PRO);
    }

    @Test
    void tokensAreSingleUseExpiringAndBoundToTheirPurpose() {
        User user = newUser();
        String hash = OpaqueTokens.hash(OpaqueTokens.generate());
        users.storeToken(user.id(), TokenPurpose.PASSWORD_RESET, hash, NOW, NOW.plusSeconds(60));
        assertThat(users.consumeToken(TokenPurpose.EMAIL_VERIFICATION, hash, NOW)).isEmpty();
        assertThat(users.consumeToken(TokenPurpose.PASSWORD_RESET, hash, NOW.plusSeconds(60))).as("expired").isEmpty();
        assertThat(users.consumeToken(TokenPurpose.PASSWORD_RESET, hash, NOW.plusSeconds(59))).hasValue(user.id());
        assertThat(users.consumeToken(TokenPurpose.PASSWORD_RESET, hash, NOW.plusSeconds(1))).as("used").isEmpty();
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
        assertThat(users.lastTokenIssuedAt(user.id(), TokenPurpose.PASSWORD_RESET)).hasValue(NOW);
        assertThat(users.lastTokenIssuedAt(newUser().id(), TokenPurpose.PASSWORD_RESET)).isEmpty();
        assertThat(users.consumeToken(TokenPurpose.PASSWORD_RESET, firstReset, NOW)).isEmpty();
        assertThat(users.consumeToken(TokenPurpose.PASSWORD_RESET, secondReset, NOW)).isPresent();
        assertThat(users.consumeToken(TokenPurpose.EMAIL_VERIFICATION, verification, NOW)).isPresent();
    }

    @Test
    void concurrentConsumersOfOneTokenGetItOnce() throws Exception {
        User user = newUser();
        String hash = OpaqueTokens.hash(OpaqueTokens.generate());
        users.storeToken(user.id(), TokenPurpose.PASSWORD_RESET, hash, NOW, NOW.plusSeconds(600));
        List<Callable<Boolean>> consumers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            consumers.add(() -> users.consumeToken(TokenPurpose.PASSWORD_RESET, hash, NOW).isPresent());
        }
        assertThat(concurrently(consumers)).filteredOn(Boolean::booleanValue).hasSize(1);
    }

    @Test
    void concurrentLoginAttemptsOnOneAccountAndAddressAreEachCounted() throws Exception {
        User user = newUser();
        LoginThrottlePolicy policy = new LoginThrottlePolicy(5, Duration.ofSeconds(30), Duration.ofMinutes(15),
                Duration.ofHours(24));
        List<Callable<LoginAttempt>> guesses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            guesses.add(() -> throttles.recordAttempt(user.id(), "198.51.100.7", NOW, policy));
        }
        List<LoginAttempt> attempts = concurrently(guesses);
        // each guess saw its own increment: the counts are 1..12, and only the first five were let through
        assertThat(attempts).extracting(LoginAttempt::failures).containsExactlyInAnyOrder(
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(attempts).filteredOn(LoginAttempt::admitted).extracting(LoginAttempt::failures)
                .containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        assertThat(attempts).filteredOn(a -> !a.admitted()).allSatisfy(a ->
                assertThat(a.blockedUntil()).isEqualTo(NOW.plusSeconds(30)));
        assertThat(Sql.column("SELECT failures::text FROM login_throttles WHERE user_id = ?::uuid",
                user.id().toString())).containsExactly("12");
    }

    @Test
    void loginDelaysGrowPerAddressAndAreForgotten() throws Exception {
        User user = newUser();
        LoginThrottlePolicy policy = new LoginThrottlePolicy(2, Duration.ofSeconds(30), Duration.ofSeconds(100),
                Duration.ofHours(1));
        String attacker = "203.0.113.9";
        assertThat(throttles.recordAttempt(user.id(), attacker, NOW, policy))
                .isEqualTo(new LoginAttempt(true, 1, null));
        assertThat(throttles.recordAttempt(user.id(), attacker, NOW, policy))
                .isEqualTo(new LoginAttempt(true, 2, NOW.plusSeconds(30)));
        assertThat(throttles.recordAttempt(user.id(), attacker, NOW.plusSeconds(29), policy))
                .as("during the delay: refused, counted, the delay unchanged")
                .isEqualTo(new LoginAttempt(false, 3, NOW.plusSeconds(30)));
        Instant later = NOW.plusSeconds(30);
        assertThat(throttles.recordAttempt(user.id(), attacker, later, policy))
                .as("after it: let through, and the next delay is 30 s * 2^(4 - 2), capped at 100 s")
                .isEqualTo(new LoginAttempt(true, 4, later.plusSeconds(100)));

        assertThat(throttles.recordAttempt(user.id(), "192.0.2.1", later, policy))
                .as("another address is not slowed down").isEqualTo(new LoginAttempt(true, 1, null));
        throttles.forget(user.id(), "192.0.2.1");
        assertThat(throttles.recordAttempt(user.id(), "192.0.2.1", later, policy).failures()).isEqualTo(1);

        Instant muchLater = later.plus(Duration.ofHours(2));
        assertThat(throttles.recordAttempt(user.id(), attacker, muchLater, policy))
                .as("an hour without attempts forgets them").isEqualTo(new LoginAttempt(true, 1, null));
        throttles.forgetAll(user.id());
        assertThat(Sql.column("SELECT client_address FROM login_throttles WHERE user_id = ?::uuid",
                user.id().toString())).isEmpty();
    }

    @Test
    void forgottenLoginThrottleRowsAreDeletedInBatches() throws Exception {
        User user = newUser();
        LoginThrottlePolicy policy = new LoginThrottlePolicy(5, Duration.ofSeconds(30), Duration.ofMinutes(15),
                Duration.ofHours(24));
        Instant old = NOW.minus(Duration.ofDays(400)); // before any other test's rows
        for (int i = 0; i < 3; i++) {
            throttles.recordAttempt(user.id(), "192.0.2." + i, old, policy);
        }
        throttles.recordAttempt(user.id(), "192.0.2.99", NOW, policy);
        Instant before = old.plusSeconds(1);
        assertThat(throttles.deleteForgotten(before, 2)).isEqualTo(2);
        assertThat(throttles.deleteForgotten(before, 2)).isEqualTo(1);
        assertThat(Sql.column("SELECT client_address FROM login_throttles WHERE user_id = ?::uuid",
                user.id().toString())).containsExactly("192.0.2.99");
    }

    @Test
    void settingsAreReplacedUnderTheRowLock() throws Exception {
        User user = newUser();
        JsonObject patched = users.updateSettings(user.id(),
                current -> Json.createObjectBuilder(current).add("theme", "dark").build(), NOW).orElseThrow();
        assertThat(patched.getString("theme")).isEqualTo("dark");
        assertThat(users.getSettings(user.id()).orElseThrow()).isEqualTo(patched);
        assertThat(users.updateSettings(UUID.randomUUID(), c -> c, NOW)).isEmpty();

        // Concurrent read-modify-write updates each add a key; the row lock keeps all of them.
        List<Callable<Object>> updates = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String key = "k" + i;
            updates.add(() -> users.updateSettings(user.id(),
                    current -> Json.createObjectBuilder(current).add(key, true).build(), NOW));
        }
        concurrently(updates);
        assertThat(users.getSettings(user.id()).orElseThrow()).hasSize(13);
    }

    @Test
    void stripeCustomerIdIsSetOnceAndFindsItsUser() {
        User user = newUser();
        String customer = "cus_" + UUID.randomUUID().toString().replace("-", "");
        assertThat(users.getStripeCustomerId(user.id())).isEmpty();
        assertThat(users.setStripeCustomerId(user.id(), customer)).isEqualTo(customer);
        assertThat(users.setStripeCustomerId(user.id(), "cus_other")).as("the first id stays").isEqualTo(customer);
        assertThat(users.getStripeCustomerId(user.id())).hasValue(customer);
        assertThat(users.findUserIdByStripeCustomerId(customer)).hasValue(user.id());
        assertThat(users.findUserIdByStripeCustomerId("cus_unknown")).isEmpty();
    }

    @Test
    void clearingAPendingCheckoutRecordsTheErrorAndKeepsOtherSettings() {
        User user = newUser();
        users.updateSettings(user.id(), c -> Json.createObjectBuilder().add("theme", "light").build(), NOW);
        users.recordPendingCheckout(user.id(), "cs_test_123", NOW);
        JsonObject pending = users.getSettings(user.id()).orElseThrow().getJsonObject("billing");
        assertThat(pending.getJsonObject("pending_checkout").getString("session_id")).isEqualTo("cs_test_123");

        Instant failedAt = NOW.plusSeconds(30);
        assertThat(users.clearPendingCheckout(user.id(), "card_declined", failedAt)).isTrue();
        JsonObject settings = users.getSettings(user.id()).orElseThrow();
        JsonObject billing = settings.getJsonObject("billing");
        assertThat(billing).doesNotContainKey("pending_checkout");
        assertThat(billing.getString("last_error")).isEqualTo("card_declined");
        assertThat(billing.getString("last_error_at")).isEqualTo(failedAt.toString());
        assertThat(settings.getString("theme")).isEqualTo("light");
        assertThat(users.clearPendingCheckout(UUID.randomUUID(), "x", failedAt)).isFalse();
    }

    @Test
    void issueReportsAreReadableByTheirReporterOnly() {
        User user = newUser();
        UUID workspace = workspaces.create("Reports", false, PlanTier.WORKSPACE, user.id(), NOW).id();
        IssueReport report = reports.insertIssueReport(
                new NewIssueReport(user.id(), workspace, "It broke", "curl/8", "1.0.0"), NOW);
        assertThat(report.id()).isNotNull();
        assertThat(reports.findIssueReport(report.id(), user.id()).orElseThrow()).isEqualTo(report);
        assertThat(reports.findIssueReport(report.id(), newUser().id())).isEmpty();

        IssueReport withoutWorkspace = reports.insertIssueReport(new NewIssueReport(user.id(), null, "No context", null, null), NOW);
        assertThat(reports.findIssueReport(withoutWorkspace.id(), user.id()).orElseThrow()).isEqualTo(withoutWorkspace);
        workspaces.delete(workspace);
        assertThat(reports.findIssueReport(report.id(), user.id()).orElseThrow().workspaceId())
                .as("kept, without its workspace").isNull();
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

        Instant longAgo = NOW.minusSeconds(600);
        assertThat(sessions.findActive(first, NOW, longAgo)).hasValue(new ActiveSession(user.id(), NOW));
        assertThat(sessions.findActive(first, NOW.plusSeconds(3600), longAgo)).as("expired").isEmpty();
        assertThat(sessions.revoke(first, NOW)).isTrue();
        assertThat(sessions.revoke(first, NOW)).as("already revoked").isFalse();
        assertThat(sessions.findActive(first, NOW, longAgo)).isEmpty();

        assertThat(sessions.revokeAllForUserExcept(user.id(), second, NOW)).isEqualTo(1);
        assertThat(sessions.findActive(second, NOW, longAgo)).isPresent();
        assertThat(sessions.findActive(third, NOW, longAgo)).isEmpty();
        assertThat(sessions.revokeAllForUser(user.id(), NOW)).isEqualTo(1);
        assertThat(sessions.findActive(second, NOW, longAgo)).isEmpty();
    }

    @Test
    void anIdleSessionEndsAndATouchIsWrittenOnceWhenDue() throws Exception {
        User user = newUser();
        String hash = OpaqueTokens.hash(OpaqueTokens.generate());
        sessions.create(user.id(), hash, NOW, NOW.plus(Duration.ofDays(14)), null);
        Instant hourLater = NOW.plus(Duration.ofHours(1));
        assertThat(sessions.findActive(hash, hourLater, hourLater.minus(Duration.ofMinutes(30))))
                .as("idle for an hour, with a 30-minute idle timeout").isEmpty();
        assertThat(sessions.findActive(hash, hourLater, hourLater.minus(Duration.ofHours(2)))).isPresent();

        Instant dueBefore = hourLater.minus(Duration.ofMinutes(5));
        List<Callable<Boolean>> touches = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            touches.add(() -> sessions.touch(hash, hourLater, dueBefore));
        }
        assertThat(concurrently(touches)).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(sessions.findActive(hash, hourLater, hourLater.minus(Duration.ofMinutes(30))))
                .hasValue(new ActiveSession(user.id(), hourLater));
    }

    @Test
    void aRolledBackTransactionLeavesNoUserBehind() throws Exception {
        String email = "rollback-" + UUID.randomUUID() + "@example.com";
        transaction.begin();
        users.create(new NewUser(email, "Ghost", "x"), NOW).orElseThrow();
        transaction.rollback();
        assertThat(users.findByEmail(email)).isEmpty();
    }

    @Test
    void concurrentCredentialInsertsStopAtTheLimitAndReencryptionFindsOnlyValuesUnderOtherKeys() throws Exception {
        User owner = newUser();
        List<Callable<Boolean>> inserts = IntStream.range(0, 8).<Callable<Boolean>>mapToObj(i -> () -> {
            transaction.begin();
            try {
                boolean inserted = credentials.insert(new NewCredential(UUID.randomUUID(), owner.id(), "c" + i,
                        CredentialKind.BEARER, CredentialOrigins.parseList("https://api.example.com"),
                        CredentialShape.none(), "v1:old:" + i), 3, NOW);
                transaction.commit();
                return inserted;
            } catch (Exception e) {
                transaction.rollback();
                throw e;
            }
        }).toList();
        assertThat(concurrently(inserts)).filteredOn(Boolean::booleanValue).hasSize(3);
        assertThat(credentials.listByOwner(owner.id())).hasSize(3);

        transaction.begin();
        try {
            List<StoredCredential> stale = credentials.lockNotUnderKey("new", 1000).stream()
                    .filter(c -> c.ownerUserId().equals(owner.id())).toList();
            assertThat(stale).hasSize(3);
            stale.forEach(c -> credentials.updateCiphertext(c.id(), "v1:new:" + c.id()));
            transaction.commit();
        } catch (Exception e) {
            transaction.rollback();
            throw e;
        }
        assertThat(credentials.lockNotUnderKey("new", 1000)).noneMatch(c -> c.ownerUserId().equals(owner.id()));
        UUID one = credentials.listByOwner(owner.id()).get(0).id();
        assertThat(credentials.findStored(one, owner.id()).orElseThrow().secretEnc()).isEqualTo("v1:new:" + one);
        assertThat(credentials.findStored(one, UUID.randomUUID())).as("another owner's id").isEmpty();
    }

    @Inject
    Event<WorkspaceActivity> workspaceActivity;

    @Inject
    AuditRepository audit;

    @Test
    void auditEventsCommitWithTheirChangeOnlyAndAreNeverUpdated() throws Exception {
        User owner = newUser();
        Workspace workspace = Fixtures.newWorkspace(workspaces, owner, NOW);

        // a change that rolls back after its event fired leaves no event: the observer wrote in its transaction
        transaction.begin();
        workspaceActivity.fire(WorkspaceActivity.renamed(owner.id(), workspace.id(), "Old", "Rolled back"));
        transaction.rollback();
        assertThat(audit.listForWorkspace(workspace.id(), AuditFilter.ANY, null, 10)).isEmpty();

        transaction.begin();
        workspaceActivity.fire(WorkspaceActivity.renamed(owner.id(), workspace.id(), "Old", "New"));
        workspaceActivity.fire(WorkspaceActivity.planChanged(Actor.operator(owner.id()), workspace.id(),
                PlanTier.WORKSPACE, PlanTier.SOLO));
        transaction.commit();
        List<AuditEvent> events = audit.listForWorkspace(workspace.id(), AuditFilter.ANY, null, 10);
        assertThat(events).extracting(AuditEvent::event).containsExactlyInAnyOrder("workspace.renamed", "plan.changed");
        AuditEvent renamed = events.stream().filter(e -> e.event().equals("workspace.renamed")).findFirst().orElseThrow();
        assertThat(renamed.actorKind()).isEqualTo(Actor.Kind.USER);
        assertThat(renamed.actorUserId()).isEqualTo(owner.id());
        assertThat(renamed.actorEmail()).isEqualTo(owner.email());
        assertThat(renamed.objectType()).isEqualTo("workspace");
        assertThat(renamed.before().getString("name")).isEqualTo("Old");
        assertThat(renamed.after().getString("name")).isEqualTo("New");
        assertThat(renamed.accountId()).isNull();

        // filters and keyset pages
        assertThat(audit.listForWorkspace(workspace.id(), new AuditFilter("plan.changed", null, null, null), null, 10))
                .singleElement().satisfies(e -> assertThat(e.actorKind()).isEqualTo(Actor.Kind.OPERATOR));
        assertThat(audit.listForWorkspace(workspace.id(), new AuditFilter(null, UUID.randomUUID(), null, null), null, 10))
                .isEmpty();
        assertThat(audit.listForWorkspace(workspace.id(), new AuditFilter(null, owner.id(), null, renamed.occurredAt()),
                null, 10)).isEmpty();
        List<AuditEvent> first = audit.listForWorkspace(workspace.id(), AuditFilter.ANY, null, 1);
        List<AuditEvent> second = audit.listForWorkspace(workspace.id(), AuditFilter.ANY,
                new Keyset(first.get(0).occurredAt(), first.get(0).id()), 10);
        assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first);

        // append-only: the database refuses an update whatever the code does
        assertThatThrownBy(() -> Sql.update("UPDATE audit_events SET event = 'workspace.deleted' WHERE workspace_id = ?::uuid",
                workspace.id().toString())).isInstanceOf(SQLException.class).hasMessageContaining("append-only");

        // retention by the workspace's plan: nothing is due before the cutoff
        transaction.begin();
        assertThat(audit.pruneWorkspaceEvents(PlanTier.WORKSPACE, NOW.minusSeconds(60), 1000)).isZero();
        transaction.commit();
        transaction.begin();
        int pruned = audit.pruneWorkspaceEvents(PlanTier.WORKSPACE, Instant.now().plusSeconds(60), 1000);
        transaction.commit();
        assertThat(pruned).isGreaterThanOrEqualTo(2);
        assertThat(audit.listForWorkspace(workspace.id(), AuditFilter.ANY, null, 10)).isEmpty();
    }
}
