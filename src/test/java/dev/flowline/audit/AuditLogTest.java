package dev.flowline.audit;

import dev.flowline.connections.ConnectionActivity;
import dev.flowline.connections.Credential;
import dev.flowline.connections.CredentialKind;
import dev.flowline.connections.CredentialOrigins;
import dev.flowline.connections.CredentialShape;
import dev.flowline.platform.json.Fields;
import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.security.Actor;
import dev.flowline.users.AccountActivity;
import dev.flowline.users.InMemoryUserRepository;
import dev.flowline.users.NewUser;
import dev.flowline.users.User;
import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.Workflow;
import dev.flowline.workflows.WorkflowActivity;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.WorkspaceActivity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The observer and its mapping: which account or workspace an event belongs to, the actor's email at the time, the
 * time at the database's precision, no origin outside a request, and no secret in the recorded fields.
 */
class AuditLogTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00.123456789Z");

    /** The appended events, in order. */
    static final class AppendedEvents implements AuditRepository {
        final List<AuditEvent> events = new ArrayList<>();

        @Override
        public void append(AuditEvent event) {
            events.add(event);
        }

        @Override
        public List<AuditEvent> listForWorkspace(UUID workspaceId, AuditFilter filter, Keyset after, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<AuditEvent> listForAccount(UUID accountId, AuditFilter filter, Keyset after, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int pruneWorkspaceEvents(PlanTier tier, Instant cutoff, int batchSize) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int pruneOtherEvents(Instant cutoff, int batchSize) {
            throw new UnsupportedOperationException();
        }
    }

    private final AppendedEvents appended = new AppendedEvents();
    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final AuditLog log = new AuditLog();
    private User user;

    @BeforeEach
    void wire() {
        log.events = appended;
        log.users = users;
        log.origin = new RequestOrigin();
        log.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        user = users.create(new NewUser("ann-" + UUID.randomUUID() + "@example.com", "Ann", "hash"), NOW).orElseThrow();
    }

    private AuditEvent only() {
        assertThat(appended.events).hasSize(1);
        return appended.events.get(0);
    }

    @Test
    void anAccountEventBelongsToItsAccountWithTheActorsEmailOfTheTime() {
        log.account(AccountActivity.signInFailed(user.id(), "wrong password"));
        AuditEvent event = only();
        assertThat(event.event()).isEqualTo("account.sign_in_failed");
        assertThat(event.accountId()).isEqualTo(user.id());
        assertThat(event.workspaceId()).isNull();
        assertThat(event.actorKind()).isEqualTo(Actor.Kind.USER);
        assertThat(event.actorUserId()).isEqualTo(user.id());
        assertThat(event.actorEmail()).isEqualTo(user.email());
        assertThat(event.occurredAt()).as("microseconds, as timestamptz keeps them")
                .isEqualTo(Instant.parse("2026-12-07T10:00:00.123456Z"));
        assertThat(event.clientAddress()).as("no request on this thread").isNull();
        assertThat(event.requestId()).isNull();
        assertThat(event.after().getString("reason")).isEqualTo("wrong password");
    }

    @Test
    void aWorkspaceEventBelongsToItsWorkspaceAndStripeHasNoEmail() {
        UUID workspace = UUID.randomUUID();
        log.workspace(WorkspaceActivity.planChanged(Actor.stripe(), workspace, PlanTier.SOLO, PlanTier.WORKSPACE));
        AuditEvent event = only();
        assertThat(event.workspaceId()).isEqualTo(workspace);
        assertThat(event.accountId()).isNull();
        assertThat(event.actorKind()).isEqualTo(Actor.Kind.STRIPE);
        assertThat(event.actorUserId()).isNull();
        assertThat(event.actorEmail()).isNull();
        assertThat(event.before().getString("plan")).isEqualTo("SOLO");
        assertThat(event.after().getString("plan")).isEqualTo("WORKSPACE");
    }

    @Test
    void aPersonalCredentialIsAnEventOfItsOwnersAccountAndItsSecretIsNeverRecorded() {
        Credential before = credential("Stripe key");
        Credential after = credential("Stripe live key");
        log.connection(ConnectionActivity.credentialUpdated(user.id(), before, after, true));
        AuditEvent event = only();
        assertThat(event.accountId()).isEqualTo(user.id());
        assertThat(event.workspaceId()).isNull();
        assertThat(event.before().getString("name")).isEqualTo("Stripe key");
        assertThat(event.after().getString("name")).isEqualTo("Stripe live key");
        assertThat(event.after().getString("secret")).isEqualTo("replaced");
        assertThat(event.after()).doesNotContainKey("origins").as("unchanged fields are left out");
    }

    @Test
    void anUpdatedWorkflowRecordsOnlyTheSettingsThatChanged() {
        Workflow before = workflow("Nightly", 1, true);
        Workflow after = workflow("Nightly", 2, false);
        log.workflow(WorkflowActivity.updated("workflow.updated", user.id(), before, after));
        AuditEvent event = only();
        assertThat(event.objectType()).isEqualTo("workflow");
        assertThat(event.objectId()).isEqualTo(after.id());
        assertThat(event.before().keySet()).containsExactlyInAnyOrder("enabled", "definitionVersion");
        assertThat(event.before().getBoolean("enabled")).isTrue();
        assertThat(event.after().getInt("definitionVersion")).isEqualTo(2);
    }

    @Test
    void fieldsNamedLikeSecretsAreDroppedWhateverAnAreaSends() {
        assertThat(AuditEntries.json(Fields.of("name", "x", "accessToken", "a", "client_secret", "b", "password", "c",
                "Authorization", "d", "apiKey", "e", "secret", "replaced", "count", 3, "ok", true, "gone", null)))
                .containsOnlyKeys("name", "secret", "count", "ok", "gone");
    }

    @Test
    void anEventNameMustBeAStableAreaDotWhatHappened() {
        for (String bad : List.of("Workflow.Updated", "workflow", "workflow.updated; drop", "a.b")) {
            assertThatThrownBy(() -> AuditEntries.entry(NOW, bad, Actor.system(), null, null, null, null, null,
                    AuditEntries.Origin.NONE, Fields.of(), Fields.of())).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(AuditEntries.EVENT_NAME.matcher("account.sign_in_failed").matches()).isTrue();
    }

    private Credential credential(String name) {
        return new Credential(UUID.fromString("00000000-0000-4000-8000-000000000001"), user.id(), name,
                CredentialKind.BEARER, CredentialOrigins.parseList("https://api.example.com"), CredentialShape.none(),
                false, 1, NOW, NOW);
    }

    private static Workflow workflow(String name, int definitionVersion, boolean enabled) {
        return new Workflow(UUID.fromString("00000000-0000-4000-8000-000000000002"), UUID.randomUUID(), name, null,
                enabled, "trigger.manual", definitionVersion, 1, new RetryPolicy(3, RetryPolicy.Backoff.EXPONENTIAL, 10, 600),
                null, NOW, NOW, definitionVersion);
    }
}
