package dev.flowline.workflows.jpa;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.runs.DeadLetter;
import dev.flowline.runs.DeadLetterRepository;
import dev.flowline.runs.NewRun;
import dev.flowline.runs.RunQuery;
import dev.flowline.runs.RunRepository;
import dev.flowline.runs.RunStatus;
import dev.flowline.runs.RunStep;
import dev.flowline.runs.RunTrigger;
import dev.flowline.runs.TakenUnit;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.Fixtures;
import dev.flowline.testing.Sql;
import dev.flowline.triggers.WebhookDelivery;
import dev.flowline.triggers.WebhookDeliveryRepository;
import dev.flowline.users.User;
import dev.flowline.users.UserRepository;
import dev.flowline.workflows.MissedFiringPolicy;
import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.Schedule;
import dev.flowline.workflows.ScheduleRepository;
import dev.flowline.workflows.WebhookRepository;
import dev.flowline.workflows.WebhookTrigger;
import dev.flowline.workflows.Workflow;
import dev.flowline.workflows.WorkflowRepository;
import dev.flowline.workflows.WorkflowSettings;
import dev.flowline.workflows.WorkflowVersion;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.RunConsumption;
import dev.flowline.workspaces.Workspace;
import dev.flowline.workspaces.WorkspaceRepository;
import jakarta.annotation.Resource;
import jakarta.ejb.EJBException;
import jakarta.ejb.EJBTransactionRequiredException;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.jdbc.PreferQueryMode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.flowline.testing.InMemoryRows.PG_UUID_ORDER;
import static dev.flowline.testing.Sql.row;
import static dev.flowline.testing.Threads.concurrently;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Persistence tests of the JPA repositories of workflows and what hangs off them ({@link JpaWorkflowRepository},
 * {@link JpaScheduleRepository}, {@link JpaWebhookRepository}, and those of runs, dead letters and webhook deliveries)
 * inside Payara Micro on the real PostgreSQL, in one container start: every method, every native statement,
 * idempotent run inserts and the scheduler's claim with real threads (each repository call its own transaction unless
 * a test begins one).
 *
 * <p>The product's background jobs are switched off in this archive: the scheduler would fire, with the real clock,
 * the schedules that these tests make due in the past and claim themselves. Tests that make schedules due delete their workspace when
 * done, so no other test class finds them due.
 */
@ExtendWith(ArquillianExtension.class)
class JpaWorkflowRepositoriesIT {

    // microsecond precision: what timestamptz keeps
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

    private static final Comparator<WorkflowRun> NEWEST_RUN_FIRST = Comparator.comparing(WorkflowRun::queuedAt)
            .thenComparing(WorkflowRun::id, PG_UUID_ORDER).reversed();

    private static final RetryPolicy RETRY = new RetryPolicy(5, RetryPolicy.Backoff.FIXED, 30, 300);

    @Deployment
    static WebArchive deployment() {
        return Deployments.inContainer(Deployments.withoutBackgroundJobs(Deployments.product()),
                JpaWorkflowRepositoriesIT.class);
    }

    @Inject
    WorkflowRepository workflows;

    @Inject
    ScheduleRepository schedules;

    @Inject
    WebhookRepository hooks;

    @Inject
    RunRepository runs;

    @Inject
    DeadLetterRepository deadLetters;

    @Inject
    WebhookDeliveryRepository deliveries;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    UserRepository users;

    @Resource
    UserTransaction transaction;

    // --- fixtures ---

    private User newUser() {
        return Fixtures.newUser(users, NOW);
    }

    private Workspace newWorkspace() {
        return Fixtures.newWorkspace(workspaces, newUser(), NOW);
    }

    /** Any JSON object will do: the repository stores definitions without validating them. */
    private static JsonObject definition(String... nodeIds) {
        JsonArrayBuilder nodes = Json.createArrayBuilder();
        for (String id : nodeIds) {
            nodes.add(Json.createObjectBuilder().add("id", id).add("type", "action.http"));
        }
        return Json.createObjectBuilder().add("nodes", nodes).add("edges", Json.createArrayBuilder()).build();
    }

    private static WorkflowSettings settings(String name, boolean enabled, JsonObject definition) {
        return new WorkflowSettings(name, "About " + name, enabled, 2, RETRY, definition, "trigger.manual");
    }

    private Workflow newWorkflow(Workspace workspace) {
        return newWorkflow(workspace, true, NOW);
    }

    private Workflow newWorkflow(Workspace workspace, boolean enabled, Instant at) {
        return workflows.create(workspace.id(), settings("Flow " + UUID.randomUUID().toString().substring(0, 8),
                enabled, definition("a")), null, at);
    }

    private static NewRun manualRun(Workflow workflow) {
        return keyedRun(workflow, null, null, null);
    }

    private static NewRun keyedRun(Workflow workflow, String idempotencyKey, Instant scheduledFor, String deliveryId) {
        RunTrigger trigger = scheduledFor != null ? RunTrigger.SCHEDULE
                : deliveryId != null ? RunTrigger.WEBHOOK : RunTrigger.MANUAL;
        return new NewRun(workflow.workspaceId(), workflow.id(), workflow.currentVersion(), trigger,
                Json.createObjectBuilder().add("n", 1).build(), idempotencyKey, scheduledFor, deliveryId, null, null,
                null, null);
    }

    private WorkflowRun insert(Workflow workflow, Instant at) {
        return runs.insertRun(manualRun(workflow), at).orElseThrow();
    }

    private static RunQuery allRuns(UUID workspaceId) {
        return new RunQuery(workspaceId, null, Set.of(), null, null, null, 100);
    }

    /** The call fails (an EJB system exception, its transaction rolled back) for a cause that mentions {@code reason}. */
    private static void assertRefused(String reason, ThrowingCallable call) {
        EJBException refused = assertThatExceptionOfType(EJBException.class).isThrownBy(call).actual();
        StringBuilder causes = new StringBuilder();
        for (Throwable cause = refused; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            causes.append(cause).append('\n');
        }
        assertThat(causes.toString()).as("expected a cause mentioning " + reason + ":\n" + causes).contains(reason);
    }

    /** Follows the keyset from page to page; answers every item and checks that each full page has limit + 1 rows. */
    private static <T> List<T> allPages(Function<Keyset, List<T>> fetch, int limit, Function<T, Keyset> keyOf,
                                        int expectedPages) {
        List<T> items = new ArrayList<>();
        Keyset position = null;
        int pages = 0;
        while (true) {
            List<T> rows = fetch.apply(position);
            pages++;
            if (rows.size() <= limit) {
                items.addAll(rows);
                break;
            }
            assertThat(rows).as("limit + 1 rows").hasSize(limit + 1);
            items.addAll(rows.subList(0, limit));
            position = keyOf.apply(rows.get(limit - 1));
        }
        assertThat(pages).as("pages").isEqualTo(expectedPages);
        return items;
    }

    private static Keyset keyOf(WorkflowRun run) {
        return new Keyset(run.queuedAt(), run.id());
    }

    // --- workflows and versions ---

    @Test
    void storesAWorkflowWithItsFirstVersion() {
        User author = newUser();
        Workspace workspace = newWorkspace();
        WorkflowSettings settings = new WorkflowSettings("Nightly report", "Mails the numbers", true, 3, RETRY,
                definition("fetch", "mail"), "trigger.schedule");
        Workflow created = workflows.create(workspace.id(), settings, author.id(), NOW);
        assertThat(created).isEqualTo(new Workflow(created.id(), workspace.id(), "Nightly report", "Mails the numbers",
                true, "trigger.schedule", 1, 3, RETRY, NOW, NOW, created.version()));
        assertThat(workflows.find(workspace.id(), created.id()).orElseThrow()).isEqualTo(created);
        assertThat(workflows.find(workspace.id(), UUID.randomUUID())).isEmpty();
        assertThat(workflows.findVersion(created.id(), 1).orElseThrow())
                .isEqualTo(new WorkflowVersion(created.id(), 1, definition("fetch", "mail"), author.id(), NOW));
        assertThat(workflows.findVersion(created.id(), 2)).isEmpty();

        // no description, no author (nullable uuid), disabled, default retry policy
        Workflow bare = workflows.create(workspace.id(), new WorkflowSettings("Bare", null, false, 1,
                RetryPolicy.DEFAULT, definition(), "trigger.webhook"), null, NOW);
        assertThat(workflows.find(workspace.id(), bare.id()).orElseThrow()).isEqualTo(bare);
        assertThat(bare.description()).isNull();
        assertThat(bare.enabled()).isFalse();
        assertThat(bare.retryPolicy()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(workflows.findVersion(bare.id(), 1).orElseThrow().createdBy()).isNull();
    }

    @Test
    void listsAWorkspacesWorkflowsInCreationOrderByKeyset() {
        Workspace workspace = newWorkspace();
        List<Workflow> expected = new ArrayList<>();
        // two at the same instant (the id decides), one earlier, one later
        for (Instant at : List.of(NOW.plusSeconds(5), NOW, NOW.plusSeconds(5), NOW.plusSeconds(9))) {
            expected.add(newWorkflow(workspace, true, at));
        }
        newWorkflow(newWorkspace(), true, NOW.plusSeconds(6)); // another workspace's
        expected.sort(Comparator.comparing(Workflow::createdAt).thenComparing(Workflow::id, PG_UUID_ORDER));

        List<Workflow> first = workflows.list(workspace.id(), null, 2);
        assertThat(first).as("limit + 1 rows").isEqualTo(expected.subList(0, 3));
        Workflow last = first.get(1);
        assertThat(workflows.list(workspace.id(), new Keyset(last.createdAt(), last.id()), 2))
                .isEqualTo(expected.subList(2, 4));
        assertThat(workflows.list(workspace.id(), null, 50)).isEqualTo(expected);
        assertThat(workflows.list(UUID.randomUUID(), null, 50)).isEmpty();
    }

    @Test
    void anUpdateStoresANewVersionOnlyWhenTheDefinitionChanges() {
        Workspace workspace = newWorkspace();
        User editor = newUser();
        Workflow workflow = workflows.create(workspace.id(), settings("Original", true, definition("a", "b")), null, NOW);

        // the same definition, keys in another order: the settings change, the definition version does not
        JsonObject reordered = Json.createObjectBuilder().add("edges", Json.createArrayBuilder())
                .add("nodes", definition("a", "b").getJsonArray("nodes")).build();
        Instant t1 = NOW.plusSeconds(10);
        RetryPolicy exponential = new RetryPolicy(2, RetryPolicy.Backoff.EXPONENTIAL, 5, 60);
        Workflow renamed = workflows.update(workspace.id(), workflow.id(), new WorkflowSettings("Renamed", null, false,
                7, exponential, reordered, "trigger.webhook"), workflow.version(), editor.id(), t1).orElseThrow();
        assertThat(renamed).isEqualTo(new Workflow(workflow.id(), workspace.id(), "Renamed", null, false,
                "trigger.webhook", 1, 7, exponential, NOW, t1, workflow.version() + 1));
        assertThat(workflows.find(workspace.id(), workflow.id()).orElseThrow()).isEqualTo(renamed);
        assertThat(workflows.findVersion(workflow.id(), 2)).isEmpty();

        Instant t2 = NOW.plusSeconds(20);
        Workflow changed = workflows.update(workspace.id(), workflow.id(), settings("Changed", true, definition("a", "c")),
                renamed.version(), editor.id(), t2).orElseThrow();
        assertThat(changed.currentVersion()).isEqualTo(2);
        assertThat(changed.version()).isEqualTo(renamed.version() + 1);
        assertThat(changed.updatedAt()).isEqualTo(t2);
        assertThat(workflows.findVersion(workflow.id(), 2).orElseThrow())
                .isEqualTo(new WorkflowVersion(workflow.id(), 2, definition("a", "c"), editor.id(), t2));
        assertThat(workflows.findVersion(workflow.id(), 1).orElseThrow().definition())
                .as("history is kept").isEqualTo(definition("a", "b"));

        assertThat(workflows.update(workspace.id(), workflow.id(), settings("Stale", true, definition("x")),
                renamed.version(), editor.id(), t2)).as("stale version").isEmpty();
        assertThat(workflows.update(workspace.id(), UUID.randomUUID(), settings("Gone", true, definition("x")),
                changed.version(), editor.id(), t2)).as("no such workflow").isEmpty();
        assertThat(workflows.find(workspace.id(), workflow.id()).orElseThrow()).isEqualTo(changed);
        assertThat(workflows.findVersion(workflow.id(), 3)).isEmpty();
    }

    @Test
    void concurrentUpdatesAtOneVersionLetOneWin() throws Exception {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        List<Callable<Boolean>> updates = IntStream.range(0, 6)
                .<Callable<Boolean>>mapToObj(i -> () -> workflows.update(workspace.id(), workflow.id(),
                        settings("Edit " + i, true, definition("edit-" + i)), workflow.version(), null, NOW).isPresent())
                .toList();
        assertThat(concurrently(updates)).filteredOn(Boolean::booleanValue).hasSize(1);
        Workflow stored = workflows.find(workspace.id(), workflow.id()).orElseThrow();
        assertThat(stored.version()).isEqualTo(workflow.version() + 1);
        assertThat(stored.currentVersion()).isEqualTo(2);
        assertThat(workflows.listVersions(workflow.id(), null, 10))
                .extracting(WorkflowVersion::number).containsExactly(2, 1);
        String winner = stored.name().substring("Edit ".length());
        assertThat(workflows.findVersion(workflow.id(), 2).orElseThrow().definition())
                .isEqualTo(definition("edit-" + winner));
    }

    @Test
    void versionsAreListedNewestFirstAndRestoredAsNewCopies() {
        Workspace workspace = newWorkspace();
        User restorer = newUser();
        Workflow workflow = workflows.create(workspace.id(), settings("Versions", true, definition("v1")), null, NOW);
        for (int i = 2; i <= 4; i++) {
            workflow = workflows.update(workspace.id(), workflow.id(), settings("Versions", true, definition("v" + i)),
                    workflow.version(), null, NOW.plusSeconds(i)).orElseThrow();
        }
        assertThat(workflow.currentVersion()).isEqualTo(4);
        UUID id = workflow.id();

        assertThat(workflows.listVersions(id, null, 2)).as("limit + 1 rows")
                .extracting(WorkflowVersion::number).containsExactly(4, 3, 2);
        assertThat(workflows.listVersions(id, 3, 2)).extracting(WorkflowVersion::number).containsExactly(2, 1);
        assertThat(workflows.listVersions(id, 1, 2)).isEmpty();
        assertThat(workflows.listVersions(id, 4, 0).get(0))
                .isEqualTo(new WorkflowVersion(id, 3, definition("v3"), null, NOW.plusSeconds(3)));
        assertThat(workflows.listVersions(UUID.randomUUID(), null, 2)).isEmpty();

        Instant at = NOW.plusSeconds(60);
        assertThat(workflows.restoreVersion(workspace.id(), id, 1, "trigger.manual", workflow.version() - 1,
                restorer.id(), at)).as("stale").isEmpty();
        Workflow restored = workflows.restoreVersion(workspace.id(), id, 1, "trigger.manual", workflow.version(), restorer.id(), at)
                .orElseThrow();
        assertThat(restored.currentVersion()).isEqualTo(5);
        assertThat(restored.version()).isEqualTo(workflow.version() + 1);
        assertThat(restored.updatedAt()).isEqualTo(at);
        assertThat(workflows.find(workspace.id(), id).orElseThrow()).isEqualTo(restored);
        assertThat(workflows.findVersion(id, 5).orElseThrow())
                .isEqualTo(new WorkflowVersion(id, 5, definition("v1"), restorer.id(), at));
        assertThat(workflows.findVersion(id, 1).orElseThrow())
                .as("history is never rewritten").isEqualTo(new WorkflowVersion(id, 1, definition("v1"), null, NOW));

        assertThat(workflows.restoreVersion(workspace.id(), id, 9, "trigger.manual", null, restorer.id(), at))
                .as("no version 9").isEmpty();
        assertThat(workflows.restoreVersion(workspace.id(), UUID.randomUUID(), 1, "trigger.manual", null, null, at))
                .isEmpty();
        Workflow again = workflows.restoreVersion(workspace.id(), id, 5, "trigger.manual", null, null, at).orElseThrow();
        assertThat(again.currentVersion()).as("the current version too is copied, with any expected version")
                .isEqualTo(6);
        assertThat(workflows.findVersion(id, 6).orElseThrow().definition()).isEqualTo(definition("v1"));
        assertThat(again.version()).isEqualTo(restored.version() + 1);
    }

    @Test
    void deletingAWorkflowRemovesEverythingHangingOffIt() throws Exception {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        Workflow sibling = newWorkflow(workspace);
        WorkflowRun run = insert(workflow, NOW);
        WorkflowRun siblingRun = insert(sibling, NOW);
        runs.recordStep(run.id(), "a", RunStep.StepStatus.FAILED, 1, null, "boom", NOW, NOW);
        DeadLetter deadLetter = deadLetters.deadLetter(run.id(), "boom", "a", NOW);
        schedules.saveSchedule(new Schedule(workflow.id(), workspace.id(), "0 * * * *", "UTC",
                MissedFiringPolicy.RUN_ONCE, false, NOW.plus(Duration.ofDays(1)), null), NOW);
        String webhookId = "wh_" + UUID.randomUUID();
        hooks.saveWebhook(workspace.id(), workflow.id(), webhookId, "v1:secret", NOW);
        deliveries.recordDelivery(workflow.id(), "d-1", WebhookDelivery.Outcome.ACCEPTED, run.id(), 10, NOW);

        assertThat(workflows.delete(workspace.id(), workflow.id())).isTrue();
        assertThat(workflows.find(workspace.id(), workflow.id())).isEmpty();
        assertThat(workflows.findVersion(workflow.id(), 1)).isEmpty();
        assertThat(runs.findRun(workspace.id(), run.id())).isEmpty();
        assertThat(runs.listSteps(run.id())).isEmpty();
        assertThat(deadLetters.findDeadLetter(workspace.id(), deadLetter.id())).isEmpty();
        assertThat(schedules.findSchedule(workspace.id(), workflow.id())).isEmpty();
        assertThat(hooks.findWebhookByPublicId(webhookId)).isEmpty();
        assertThat(deliveries.listDeliveries(workflow.id(), null, 10)).isEmpty();
        assertThat(workflows.delete(workspace.id(), workflow.id())).as("already gone").isFalse();

        assertThat(workflows.find(workspace.id(), sibling.id()).orElseThrow())
                .as("the sibling stays").isEqualTo(sibling);
        assertThat(runs.listRuns(allRuns(workspace.id()))).containsExactly(siblingRun);
    }

    // --- runs ---

    @Test
    void insertsAQueuedRunDueAtOnce() throws Exception {
        Workspace workspace = newWorkspace();
        User requester = newUser();
        Workflow workflow = newWorkflow(workspace);
        WorkflowRun original = insert(workflow, NOW);

        Instant at = NOW.plusSeconds(3);
        JsonObject input = Json.createObjectBuilder().add("customer", "c-42").add("amount", 1250)
                .add("tags", Json.createArrayBuilder().add("x")).build();
        NewRun rerun = new NewRun(workspace.id(), workflow.id(), 1, RunTrigger.RERUN, input, null, null, null,
                original.id(), NOW.minusSeconds(60), RunConsumption.OVERAGE, requester.id());
        WorkflowRun run = runs.insertRun(rerun, at).orElseThrow();
        assertThat(run).isEqualTo(new WorkflowRun(run.id(), workspace.id(), workflow.id(), 1, RunStatus.QUEUED,
                RunTrigger.RERUN, input, null, null, 0, null, null, null, original.id(), false, at, null, null, at,
                null, null));
        assertThat(runs.findRun(workspace.id(), run.id()).orElseThrow()).isEqualTo(run);
        assertThat(runs.findRun(workspace.id(), UUID.randomUUID())).isEmpty();
        assertThat(row("SELECT quota_period_start, quota_kind, created_by FROM workflow_runs WHERE id = ?", run.id()))
                .as("the quota unit and the requester are recorded")
                .containsExactly(SqlTimestamps.of(NOW.minusSeconds(60)), "OVERAGE", requester.id());

        WorkflowRun noInput = runs.insertRun(new NewRun(workspace.id(), workflow.id(), 1, RunTrigger.MANUAL, null,
                null, null, null, null, null, null, null), at).orElseThrow();
        assertThat(noInput.input()).as("input defaults to {}").isEqualTo(Json.createObjectBuilder().build());
        assertThat(noInput.rerunOf()).isNull();
        assertRefused("fk_workflow_runs_workflow_version", () -> runs.insertRun(new NewRun(workspace.id(),
                workflow.id(), 2, RunTrigger.MANUAL, null, null, null, null, null, null, null, null), at));
    }

    @Test
    void aUniquenessKeyMakesOneRun() {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        Workflow other = newWorkflow(workspace);

        WorkflowRun keyed = runs.insertRun(keyedRun(workflow, "key-1", null, null), NOW).orElseThrow();
        assertThat(keyed.idempotencyKey()).isEqualTo("key-1");
        assertThat(runs.insertRun(keyedRun(workflow, "key-1", null, null), NOW.plusSeconds(1))).isEmpty();
        assertThat(runs.findRunByIdempotencyKey(workflow.id(), "key-1").orElseThrow()).isEqualTo(keyed);
        assertThat(runs.findRunByIdempotencyKey(workflow.id(), "key-2")).isEmpty();
        assertThat(runs.findRunByIdempotencyKey(other.id(), "key-1")).isEmpty();
        assertThat(runs.insertRun(keyedRun(other, "key-1", null, null), NOW)).as("per workflow").isPresent();

        Instant firing = NOW.truncatedTo(ChronoUnit.HOURS);
        WorkflowRun scheduled = runs.insertRun(keyedRun(workflow, null, firing, null), NOW).orElseThrow();
        assertThat(scheduled.trigger()).isEqualTo(RunTrigger.SCHEDULE);
        assertThat(scheduled.scheduledFor()).isEqualTo(firing);
        assertThat(runs.insertRun(keyedRun(workflow, null, firing, null), NOW)).isEmpty();
        assertThat(runs.findRunByScheduledFor(workflow.id(), firing).orElseThrow()).isEqualTo(scheduled);
        assertThat(runs.findRunByScheduledFor(workflow.id(), firing.plusSeconds(3600))).isEmpty();
        assertThat(runs.insertRun(keyedRun(workflow, null, firing.plusSeconds(3600), null), NOW)).isPresent();

        WorkflowRun delivered = runs.insertRun(keyedRun(workflow, null, null, "dlv-1"), NOW).orElseThrow();
        assertThat(delivered.webhookDeliveryId()).isEqualTo("dlv-1");
        assertThat(runs.insertRun(keyedRun(workflow, null, null, "dlv-1"), NOW)).isEmpty();
        assertThat(runs.findRunByDeliveryId(workflow.id(), "dlv-1").orElseThrow()).isEqualTo(delivered);
        assertThat(runs.findRunByDeliveryId(workflow.id(), "dlv-2")).isEmpty();
        assertThat(runs.insertRun(keyedRun(workflow, "dlv-1", null, null), NOW))
                .as("the three keys are separate").isPresent();

        assertThat(runs.insertRun(manualRun(workflow), NOW)).isPresent();
        assertThat(runs.insertRun(manualRun(workflow), NOW)).as("runs without a key never conflict").isPresent();
        assertThat(runs.listRuns(allRuns(workspace.id()))).hasSize(8);
    }

    @Test
    void concurrentInsertsWithOneKeyMakeOneRun() throws Exception {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        Instant firing = NOW.truncatedTo(ChronoUnit.MINUTES);
        for (NewRun keyed : List.of(keyedRun(workflow, "same-key", null, null), keyedRun(workflow, null, firing, null),
                keyedRun(workflow, null, null, "same-delivery"))) {
            List<Callable<Optional<WorkflowRun>>> inserts = IntStream.range(0, 8)
                    .<Callable<Optional<WorkflowRun>>>mapToObj(i -> () -> runs.insertRun(keyed, NOW))
                    .toList();
            List<WorkflowRun> inserted = concurrently(inserts).stream().flatMap(Optional::stream).toList();
            assertThat(inserted).as("one of 8 concurrent inserts of " + keyed).hasSize(1);
        }
        assertThat(runs.listRuns(allRuns(workspace.id()))).hasSize(3);
        assertThat(runs.findRunByIdempotencyKey(workflow.id(), "same-key")).isPresent();
        assertThat(runs.findRunByScheduledFor(workflow.id(), firing)).isPresent();
        assertThat(runs.findRunByDeliveryId(workflow.id(), "same-delivery")).isPresent();
    }

    @Test
    void runsAreListedNewestFirstByKeysetWithFilters() {
        Workspace workspace = newWorkspace();
        Workflow first = newWorkflow(workspace);
        Workflow second = newWorkflow(workspace);
        Workspace elsewhere = newWorkspace();
        insert(newWorkflow(elsewhere), NOW.plusSeconds(2));

        // 11 runs over 6 instants, with ties (the id decides); every third one canceled
        List<UUID> ids = new ArrayList<>();
        int[] seconds = {0, 1, 1, 2, 3, 3, 3, 4, 5, 5, 6};
        for (int i = 0; i < seconds.length; i++) {
            ids.add(insert(i % 4 == 3 ? second : first, NOW.plusSeconds(seconds[i])).id());
            if (i % 3 == 2) {
                runs.cancelRun(workspace.id(), ids.get(i), NOW.plusSeconds(30)).orElseThrow();
            }
        }
        List<WorkflowRun> all = ids.stream().map(id -> runs.findRun(workspace.id(), id).orElseThrow())
                .sorted(NEWEST_RUN_FIRST).toList();
        assertThat(runs.listRuns(allRuns(workspace.id()))).as("newest first, any status").isEqualTo(all);

        Set<RunStatus> queued = Set.of(RunStatus.QUEUED);
        List<WorkflowRun> expectedQueued = all.stream().filter(run -> run.status() == RunStatus.QUEUED).toList();
        assertThat(expectedQueued).hasSize(8);
        assertThat(allPages(before -> runs.listRuns(new RunQuery(workspace.id(), null, queued, null, null, before, 3)),
                3, JpaWorkflowRepositoriesIT::keyOf, 3)).as("queued, 3 per page").isEqualTo(expectedQueued);
        assertThat(allPages(before -> runs.listRuns(new RunQuery(workspace.id(), null,
                Set.of(RunStatus.QUEUED, RunStatus.CANCELED), null, null, before, 2)), 2,
                JpaWorkflowRepositoriesIT::keyOf, 6)).as("two statuses: all of them").isEqualTo(all);
        assertThat(runs.listRuns(new RunQuery(workspace.id(), null, Set.of(RunStatus.CANCELED), null, null, null, 10)))
                .isEqualTo(all.stream().filter(run -> run.status() == RunStatus.CANCELED).toList());
        assertThat(runs.listRuns(new RunQuery(workspace.id(), null, Set.of(RunStatus.RUNNING), null, null, null, 10)))
                .isEmpty();

        List<WorkflowRun> ofFirstQueued = expectedQueued.stream().filter(run -> run.workflowId().equals(first.id()))
                .toList();
        assertThat(allPages(before -> runs.listRuns(new RunQuery(workspace.id(), first.id(), queued, null, null,
                before, 2)), 2, JpaWorkflowRepositoriesIT::keyOf, 3))
                .as("one workflow's queued runs").isEqualTo(ofFirstQueued);
        assertThat(runs.listRuns(new RunQuery(workspace.id(), second.id(), null, null, null, null, 10)))
                .isEqualTo(all.stream().filter(run -> run.workflowId().equals(second.id())).toList());

        // queuedFrom inclusive, queuedBefore exclusive, combined with the keyset
        Instant from = NOW.plusSeconds(1);
        Instant to = NOW.plusSeconds(5);
        List<WorkflowRun> window = all.stream()
                .filter(run -> !run.queuedAt().isBefore(from) && run.queuedAt().isBefore(to)).toList();
        assertThat(window).hasSize(7);
        assertThat(allPages(before -> runs.listRuns(new RunQuery(workspace.id(), null, Set.of(), from, to, before, 3)),
                3, JpaWorkflowRepositoriesIT::keyOf, 3)).isEqualTo(window);
        assertThat(runs.listRuns(new RunQuery(workspace.id(), null, Set.of(), to, null, null, 10)))
                .isEqualTo(all.stream().filter(run -> !run.queuedAt().isBefore(to)).toList());
        assertThat(runs.listRuns(new RunQuery(workspace.id(), null, Set.of(), null, from, null, 10)))
                .isEqualTo(all.stream().filter(run -> run.queuedAt().isBefore(from)).toList());
        assertThat(allPages(before -> runs.listRuns(new RunQuery(workspace.id(), first.id(), queued, from, to,
                before, 1)), 1, JpaWorkflowRepositoriesIT::keyOf, 3))
                .as("every filter at once")
                .isEqualTo(window.stream().filter(run -> run.status() == RunStatus.QUEUED
                        && run.workflowId().equals(first.id())).toList());
    }

    @Test
    void theRunListWalksAnIndexInOrderAndStopsAtTheLimit() throws Exception {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        Keyset position = keyOf(insert(workflow, NOW));
        for (RunQuery query : List.of(
                new RunQuery(workspace.id(), null, Set.of(), null, null, null, 50),
                new RunQuery(workspace.id(), null, Set.of(RunStatus.QUEUED), null, null, position, 50),
                new RunQuery(workspace.id(), null, Set.of(RunStatus.QUEUED, RunStatus.RUNNING), NOW, NOW.plusSeconds(9),
                        position, 50),
                new RunQuery(workspace.id(), workflow.id(), Set.of(), null, null, null, 50),
                new RunQuery(workspace.id(), workflow.id(), Set.of(RunStatus.FAILED), NOW, null, position, 50))) {
            String plan = planOf(() -> runs.listRuns(query));
            String explained = plan.substring(plan.indexOf('\n') + 1);
            assertThat(explained).as(query + "\n" + plan)
                    .startsWith("Limit").contains("Index Scan using ix_workflow_runs_").doesNotContain("Sort");
        }
    }

    /**
     * The generic plan of the statement that EclipseLink sent for {@code listing} (the latest one on
     * {@code workflow_runs} in pg_stat_activity: nothing else runs meanwhile), explained on a connection of its own
     * with sequential scans, bitmap scans and sorts disabled, so that only an index that gives the order avoids a Sort.
     * {@code EXPLAIN (GENERIC_PLAN)} of a statement with {@code $n} placeholders needs PostgreSQL 16 or newer.
     */
    private static String planOf(Runnable listing) throws Exception {
        listing.run();
        Config config = ConfigProvider.getConfig();
        PGSimpleDataSource direct = new PGSimpleDataSource();
        direct.setURL(config.getValue("flowline.db.url", String.class));
        direct.setUser(config.getValue("flowline.db.user", String.class));
        direct.setPassword(config.getValue("flowline.db.password", String.class));
        direct.setPreferQueryMode(PreferQueryMode.SIMPLE); // the statement's $n placeholders go to the server as text
        try (Connection connection = direct.getConnection(); Statement statement = connection.createStatement()) {
            String sql;
            try (ResultSet sent = statement.executeQuery("SELECT query, (SELECT setting FROM pg_settings WHERE name = 'track_activity_query_size') "
                    + "FROM pg_stat_activity WHERE application_name = 'flowline' "
                    + "AND query LIKE 'SELECT % FROM workflow_runs %' ORDER BY query_start DESC LIMIT 1")) {
                assertThat(sent.next()).as("the listing's statement in pg_stat_activity").isTrue();
                sql = sent.getString(1);
                assertThat(sql).as("truncated: " + sql).hasSizeLessThan(Integer.parseInt(sent.getString(2)) - 1);
            }
            connection.setAutoCommit(false);
            statement.execute("SET LOCAL enable_seqscan = off");
            statement.execute("SET LOCAL enable_bitmapscan = off");
            statement.execute("SET LOCAL enable_sort = off");
            StringBuilder plan = new StringBuilder();
            try (ResultSet lines = statement.executeQuery("EXPLAIN (GENERIC_PLAN) " + sql)) {
                while (lines.next()) {
                    plan.append(lines.getString(1)).append('\n');
                }
            }
            connection.rollback();
            return sql + "\n" + plan;
        }
    }

    @Test
    void cancelingStopsAQueuedRunAndFlagsARunningOne() throws Exception {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        Instant at = NOW.plusSeconds(9);

        WorkflowRun queued = insert(workflow, NOW);
        WorkflowRun canceled = runs.cancelRun(workspace.id(), queued.id(), at).orElseThrow();
        assertThat(canceled.status()).isEqualTo(RunStatus.CANCELED);
        assertThat(canceled.finishedAt()).isEqualTo(at);
        assertThat(canceled.cancelRequested()).isFalse();
        assertThat(runs.cancelRun(workspace.id(), queued.id(), at.plusSeconds(1)).orElseThrow())
                .as("a finished run is left alone").isEqualTo(canceled);

        WorkflowRun running = insert(workflow, NOW);
        Sql.update("UPDATE workflow_runs SET status = 'RUNNING', attempt = 1, started_at = ?, leased_by = 'node-1', "
                + "lease_expires_at = ? WHERE id = ?", SqlTimestamps.of(NOW), SqlTimestamps.of(at), running.id());
        WorkflowRun flagged = runs.cancelRun(workspace.id(), running.id(), at).orElseThrow();
        assertThat(flagged).isEqualTo(new WorkflowRun(running.id(), workspace.id(), workflow.id(), 1, RunStatus.RUNNING,
                RunTrigger.MANUAL, running.input(), null, null, 1, null, null, null, null, true, NOW, NOW, null, NOW,
                "node-1", at));

        WorkflowRun succeeded = insert(workflow, NOW);
        Sql.update("UPDATE workflow_runs SET status = 'SUCCEEDED', finished_at = ?, output = '{\"ok\":true}' WHERE id = ?",
                SqlTimestamps.of(NOW), succeeded.id());
        WorkflowRun done = runs.cancelRun(workspace.id(), succeeded.id(), at).orElseThrow();
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.finishedAt()).isEqualTo(NOW);
        assertThat(done.cancelRequested()).isFalse();
        assertThat(done.output()).isEqualTo(Json.createObjectBuilder().add("ok", true).build());

        assertThat(runs.cancelRun(workspace.id(), UUID.randomUUID(), at)).isEmpty();
    }

    @Test
    void cancelingAQueuedRunAnswersItsQuotaUnitOnce() throws Exception {
        Workflow workflow = newWorkflow(newWorkspace());
        NewRun paid = new NewRun(workflow.workspaceId(), workflow.id(), workflow.currentVersion(), RunTrigger.MANUAL,
                Json.createObjectBuilder().build(), null, null, null, null, NOW, RunConsumption.OVERAGE, null);
        WorkflowRun run = runs.insertRun(paid, NOW).orElseThrow();
        assertThat(runs.cancelQueuedRun(UUID.randomUUID(), run.id(), NOW)).as("other workspace").isEmpty();
        assertThat(runs.cancelQueuedRun(workflow.workspaceId(), run.id(), NOW))
                .hasValue(new TakenUnit(NOW, RunConsumption.OVERAGE));
        assertThat(runs.cancelQueuedRun(workflow.workspaceId(), run.id(), NOW)).as("only once").isEmpty();
        assertThat(runs.findRun(workflow.workspaceId(), run.id()).orElseThrow().status()).isEqualTo(RunStatus.CANCELED);

        WorkflowRun running = insert(workflow, NOW);
        Sql.update("UPDATE workflow_runs SET status = 'RUNNING' WHERE id = ?", running.id());
        assertThat(runs.cancelQueuedRun(workflow.workspaceId(), running.id(), NOW)).as("not queued").isEmpty();
    }

    @Test
    void stepsAreListedInTheOrderTheyStarted() {
        Workspace workspace = newWorkspace();
        WorkflowRun run = insert(newWorkflow(workspace), NOW);
        WorkflowRun other = insert(newWorkflow(workspace), NOW);
        JsonObject output = Json.createObjectBuilder().add("status", 200).build();
        List<RunStep> expected = new ArrayList<>();
        expected.add(runs.recordStep(run.id(), "http", RunStep.StepStatus.FAILED, 1, null, "timeout",
                NOW.plusSeconds(1), NOW.plusSeconds(2)));
        expected.add(runs.recordStep(run.id(), "trigger", RunStep.StepStatus.SUCCEEDED, 1, output, null, NOW,
                NOW));
        expected.add(runs.recordStep(run.id(), "http", RunStep.StepStatus.SUCCEEDED, 2, output, null,
                NOW.plusSeconds(5), NOW.plusSeconds(6)));
        expected.add(runs.recordStep(run.id(), "branch", RunStep.StepStatus.SKIPPED, 2, null, null,
                NOW.plusSeconds(5), NOW.plusSeconds(5)));
        expected.add(runs.recordStep(run.id(), "mail", RunStep.StepStatus.RUNNING, 2, null, null,
                NOW.plusSeconds(7), null));
        runs.recordStep(other.id(), "trigger", RunStep.StepStatus.SUCCEEDED, 1, null, null, NOW, NOW);
        assertThat(expected.get(0)).isEqualTo(new RunStep(expected.get(0).id(), run.id(), "http",
                RunStep.StepStatus.FAILED, 1, null, "timeout", NOW.plusSeconds(1), NOW.plusSeconds(2)));

        expected.sort(Comparator.comparing(RunStep::startedAt).thenComparing(RunStep::id, PG_UUID_ORDER));
        assertThat(runs.listSteps(run.id())).isEqualTo(expected);
        assertThat(runs.listSteps(UUID.randomUUID())).isEmpty();
    }

    // --- dead letters ---

    @Test
    void deadLetteringMovesTheRunAndFilesItsLetterTogether() throws Exception {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        WorkflowRun neverStarted = insert(workflow, NOW);
        Instant at = NOW.plusSeconds(30);

        DeadLetter letter = deadLetters.deadLetter(neverStarted.id(), "quota refused", null, at);
        assertThat(letter).as("at least one attempt").isEqualTo(new DeadLetter(letter.id(), workspace.id(),
                workflow.id(), neverStarted.id(), "quota refused", null, 1, at));
        WorkflowRun moved = runs.findRun(workspace.id(), neverStarted.id()).orElseThrow();
        assertThat(moved.status()).isEqualTo(RunStatus.DEAD_LETTERED);
        assertThat(moved.finishedAt()).isEqualTo(at);
        assertThat(moved.error()).isEqualTo("quota refused");

        WorkflowRun failed = insert(workflow, NOW);
        Sql.update("UPDATE workflow_runs SET status = 'FAILED', attempt = 3 WHERE id = ?", failed.id());
        DeadLetter third = deadLetters.deadLetter(failed.id(), "HTTP 500", "http", at);
        assertThat(third).isEqualTo(new DeadLetter(third.id(), workspace.id(), workflow.id(), failed.id(), "HTTP 500",
                "http", 3, at));
        assertThat(deadLetters.findDeadLetter(workspace.id(), third.id()).orElseThrow()).isEqualTo(third);

        // one transaction: the second letter for a run fails, and the run's new error is rolled back with it
        assertRefused("uk_dead_letters_run_id", () -> deadLetters.deadLetter(failed.id(), "again", "http",
                at.plusSeconds(1)));
        assertThat(runs.findRun(workspace.id(), failed.id()).orElseThrow().error()).isEqualTo("HTTP 500");
        assertThat(runs.findRun(workspace.id(), failed.id()).orElseThrow().finishedAt()).isEqualTo(at);
        assertRefused("No run", () -> deadLetters.deadLetter(UUID.randomUUID(), "no run", null, at));

        assertThat(deadLetters.deleteDeadLetter(workspace.id(), UUID.randomUUID())).isFalse();
        assertThat(deadLetters.deleteDeadLetter(workspace.id(), letter.id())).isTrue();
        assertThat(deadLetters.deleteDeadLetter(workspace.id(), letter.id())).as("already gone").isFalse();
        assertThat(deadLetters.findDeadLetter(workspace.id(), letter.id())).isEmpty();
        assertThat(runs.findRun(workspace.id(), neverStarted.id()).orElseThrow().status())
                .as("the run keeps its history").isEqualTo(RunStatus.DEAD_LETTERED);
    }

    @Test
    void aDeadLetterIsLockedOnlyInItsWorkspaceAndOnlyInATransaction() throws Exception {
        Workflow workflow = newWorkflow(newWorkspace());
        DeadLetter letter = deadLetters.deadLetter(insert(workflow, NOW).id(), "boom", "a", NOW);
        assertThat(inTransaction(() -> deadLetters.lockDeadLetter(workflow.workspaceId(), letter.id())))
                .hasValue(letter);
        assertThat(inTransaction(() -> deadLetters.lockDeadLetter(UUID.randomUUID(), letter.id()))).isEmpty();
        // without the caller's transaction the lock would be released at once: refused (MANDATORY)
        assertThatThrownBy(() -> deadLetters.lockDeadLetter(workflow.workspaceId(), letter.id()))
                .isInstanceOf(EJBTransactionRequiredException.class);
    }

    @Test
    void deadLettersAreListedNewestFirstByKeyset() {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        Workspace elsewhere = newWorkspace();
        deadLetters.deadLetter(insert(newWorkflow(elsewhere), NOW).id(), "theirs", null, NOW.plusSeconds(2));
        List<DeadLetter> expected = new ArrayList<>();
        for (int second : new int[] {1, 2, 2, 3, 2}) {
            expected.add(deadLetters.deadLetter(insert(workflow, NOW).id(), "e" + second, null, NOW.plusSeconds(second)));
        }
        expected.sort(Comparator.comparing(DeadLetter::createdAt).thenComparing(DeadLetter::id, PG_UUID_ORDER)
                .reversed());
        assertThat(deadLetters.listDeadLetters(workspace.id(), null, 10)).isEqualTo(expected);
        assertThat(allPages(before -> deadLetters.listDeadLetters(workspace.id(), before, 2), 2,
                letter -> new Keyset(letter.createdAt(), letter.id()), 3)).isEqualTo(expected);
        assertThat(deadLetters.listDeadLetters(UUID.randomUUID(), null, 10)).isEmpty();
    }

    // --- schedules ---

    @Test
    void aScheduleKeepsItsLastErrorUntilCleared() {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        schedules.saveSchedule(new Schedule(workflow.id(), workspace.id(), "0 * * * *", "UTC",
                MissedFiringPolicy.RUN_ONCE, false, NOW, null), NOW);
        schedules.recordScheduleError(workflow.id(), "quota used up", NOW);
        Schedule failed = schedules.findSchedule(workspace.id(), workflow.id()).orElseThrow();
        assertThat(failed.lastError()).isEqualTo("quota used up");
        assertThat(failed.lastErrorAt()).isEqualTo(NOW);
        schedules.advanceSchedule(workflow.id(), NOW.plusSeconds(3600), NOW);
        assertThat(schedules.findSchedule(workspace.id(), workflow.id()).orElseThrow().lastError())
                .isEqualTo("quota used up");
        schedules.recordScheduleError(workflow.id(), null, null);
        Schedule cleared = schedules.findSchedule(workspace.id(), workflow.id()).orElseThrow();
        assertThat(cleared.lastError()).isNull();
        assertThat(cleared.lastErrorAt()).isNull();
    }

    @Test
    void aScheduleIsSavedReplacedAdvancedAndDeleted() {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        Instant next = NOW.plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);
        Schedule schedule = new Schedule(workflow.id(), workspace.id(), "0 9 * * 1-5", "Europe/Paris",
                MissedFiringPolicy.RUN_ALL, false, next, null);
        assertThat(schedules.saveSchedule(schedule, NOW)).isEqualTo(schedule);
        assertThat(schedules.findSchedule(workspace.id(), workflow.id()).orElseThrow()).isEqualTo(schedule);
        assertThat(schedules.findSchedule(workspace.id(), UUID.randomUUID())).isEmpty();

        Instant firedAt = next.plusSeconds(1);
        schedules.advanceSchedule(workflow.id(), next.plus(Duration.ofDays(1)), firedAt);
        assertThat(schedules.findSchedule(workspace.id(), workflow.id()).orElseThrow())
                .isEqualTo(new Schedule(workflow.id(), workspace.id(), "0 9 * * 1-5", "Europe/Paris",
                        MissedFiringPolicy.RUN_ALL, false, next.plus(Duration.ofDays(1)), firedAt));

        // replacing keeps the firing history when the new settings carry none
        Schedule replaced = new Schedule(workflow.id(), workspace.id(), "*/5 * * * *", "UTC", MissedFiringPolicy.SKIP,
                true, null, null);
        assertThat(schedules.saveSchedule(replaced, NOW.plusSeconds(5)))
                .isEqualTo(new Schedule(workflow.id(), workspace.id(), "*/5 * * * *", "UTC", MissedFiringPolicy.SKIP,
                        true, null, firedAt));
        schedules.advanceSchedule(workflow.id(), next, null);
        assertThat(schedules.findSchedule(workspace.id(), workflow.id()).orElseThrow())
                .isEqualTo(new Schedule(workflow.id(), workspace.id(), "*/5 * * * *", "UTC", MissedFiringPolicy.SKIP,
                        true, next, null));
        schedules.advanceSchedule(UUID.randomUUID(), next, NOW); // no schedule: nothing happens

        assertRefused("No workflow", () -> schedules.saveSchedule(new Schedule(UUID.randomUUID(), workspace.id(),
                "0 * * * *", "UTC", MissedFiringPolicy.RUN_ONCE, false, next, null), NOW));
        assertThat(schedules.deleteSchedule(workspace.id(), UUID.randomUUID())).isFalse();
        assertThat(schedules.deleteSchedule(workspace.id(), workflow.id())).isTrue();
        assertThat(schedules.deleteSchedule(workspace.id(), workflow.id())).as("already gone").isFalse();
        assertThat(schedules.findSchedule(workspace.id(), workflow.id())).isEmpty();
    }

    @Test
    void onlyDueUnpausedSchedulesOfEnabledWorkflowsAreClaimedOldestFirst() throws Exception {
        // a window of its own, long past: nothing else in the database is due then
        Instant base = Instant.parse("2001-01-01T00:00:00Z");
        Instant now = base.plusSeconds(60);
        Workspace workspace = newWorkspace();
        try {
            Workflow dueFirst = scheduled(workspace, true, false, base);
            Workflow dueSecond = scheduled(workspace, true, false, base.plusSeconds(60)); // at now: due
            scheduled(workspace, true, false, base.plusSeconds(61)); // not yet
            scheduled(workspace, true, true, base); // paused
            scheduled(workspace, false, false, base); // workflow disabled
            scheduled(workspace, true, false, null); // no next firing

            assertThatThrownBy(() -> schedules.claimDueSchedules(now, 10),
                    "outside a transaction the locks would be gone at once")
                    .isInstanceOf(EJBTransactionRequiredException.class);

            transaction.begin();
            try {
                List<Schedule> claimed = schedules.claimDueSchedules(now, 10);
                assertThat(claimed).extracting(Schedule::workflowId).containsExactly(dueFirst.id(), dueSecond.id());
                assertThat(claimed.get(0)).isEqualTo(new Schedule(dueFirst.id(), workspace.id(), "0 * * * *", "UTC",
                        MissedFiringPolicy.RUN_ONCE, false, base, null));
                assertThat(schedules.claimDueSchedules(now, 1))
                        .as("the same transaction may claim its own locked rows again; the limit holds")
                        .extracting(Schedule::workflowId).containsExactly(dueFirst.id());
                assertThat(claimElsewhere(now)).as("another instance meanwhile skips the locked rows").isEmpty();
            } finally {
                transaction.rollback();
            }
            assertThat(claimElsewhere(now)).as("released by the rollback").containsExactly(dueFirst.id(),
                    dueSecond.id());
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    private Workflow scheduled(Workspace workspace, boolean enabled, boolean paused, Instant nextRunAt) {
        assertThat(ConfigProvider.getConfig().getValue("flowline.scheduler.enabled", Boolean.class))
                .as("the product's scheduler would claim these schedules too").isFalse();
        Workflow workflow = newWorkflow(workspace, enabled, NOW);
        schedules.saveSchedule(new Schedule(workflow.id(), workspace.id(), "0 * * * *", "UTC",
                MissedFiringPolicy.RUN_ONCE, paused, nextRunAt, null), NOW);
        return workflow;
    }

    /** Claims (and releases) due schedules in a transaction of another thread, as another instance would. */
    private List<UUID> claimElsewhere(Instant now) throws Exception {
        Callable<List<UUID>> claim = () -> inTransaction(() -> schedules.claimDueSchedules(now, 50).stream()
                .map(Schedule::workflowId).toList());
        return concurrently(List.of(claim)).get(0);
    }

    private <T> T inTransaction(Callable<T> work) throws Exception {
        transaction.begin();
        try {
            T result = work.call();
            transaction.commit();
            return result;
        } finally {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        }
    }

    @Test
    void instancesClaimingTogetherFireEveryScheduleOnce() throws Exception {
        Instant base = Instant.parse("2002-01-01T00:00:00Z");
        Instant now = base.plusSeconds(60);
        Workspace workspace = newWorkspace();
        try {
            Map<UUID, Instant> firings = new HashMap<>();
            for (int i = 0; i < 20; i++) {
                Instant next = base.plusSeconds(i);
                firings.put(scheduled(workspace, true, false, next).id(), next);
            }
            ConcurrentLinkedQueue<UUID> claimed = new ConcurrentLinkedQueue<>();
            // 4 instances, each looping: claim 5, fire each (insert its run), advance it, commit; until none is due
            List<Callable<Integer>> instances = IntStream.range(0, 4).<Callable<Integer>>mapToObj(i -> () -> {
                int batches = 0;
                while (true) {
                    List<Schedule> due = inTransaction(() -> {
                        List<Schedule> batch = schedules.claimDueSchedules(now, 5);
                        for (Schedule schedule : batch) {
                            NewRun run = new NewRun(schedule.workspaceId(), schedule.workflowId(), 1,
                                    RunTrigger.SCHEDULE, Json.createObjectBuilder().build(), null,
                                    schedule.nextRunAt(), null, null, null, null, null);
                            assertThat(runs.insertRun(run, now)).as("fired twice: " + run).isPresent();
                            schedules.advanceSchedule(schedule.workflowId(), schedule.nextRunAt().plus(Duration.ofHours(1)),
                                    now);
                        }
                        return batch;
                    });
                    if (due.isEmpty()) {
                        return batches;
                    }
                    due.forEach(schedule -> claimed.add(schedule.workflowId()));
                    batches++;
                }
            }).toList();
            int batches = concurrently(instances).stream().mapToInt(Integer::intValue).sum();

            assertThat(claimed).as("claimed once each: " + claimed).hasSize(20);
            assertThat(claimed).hasSameElementsAs(firings.keySet());
            assertThat(batches).as("batches of at most 5: " + batches).isGreaterThanOrEqualTo(4);
            List<WorkflowRun> fired = runs.listRuns(allRuns(workspace.id()));
            assertThat(fired).hasSize(20);
            assertThat(fired.stream().collect(Collectors.toMap(WorkflowRun::workflowId, WorkflowRun::scheduledFor)))
                    .as("one run per schedule, for its due time").isEqualTo(firings);
            assertThat(fired).allMatch(run -> run.trigger() == RunTrigger.SCHEDULE);
            for (Map.Entry<UUID, Instant> firing : firings.entrySet()) {
                Schedule schedule = schedules.findSchedule(workspace.id(), firing.getKey()).orElseThrow();
                assertThat(schedule.nextRunAt()).isEqualTo(firing.getValue().plus(Duration.ofHours(1)));
                assertThat(schedule.lastFiredAt()).isEqualTo(now);
            }
            assertThat(claimElsewhere(now)).as("nothing left due").isEmpty();
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    // --- webhooks ---

    @Test
    void aWebhookIsSavedFoundByItsPublicIdAndRotated() {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        String publicId = "wh_" + UUID.randomUUID();
        WebhookTrigger saved = hooks.saveWebhook(workspace.id(), workflow.id(), publicId, "k1:sealed-1", NOW);
        assertThat(saved).isEqualTo(new WebhookTrigger(workflow.id(), workspace.id(), publicId, "k1:sealed-1", NOW));
        assertThat(hooks.findWebhook(workspace.id(), workflow.id()).orElseThrow()).isEqualTo(saved);
        assertThat(hooks.findWebhookByPublicId(publicId).orElseThrow()).isEqualTo(saved);
        assertThat(hooks.findWebhookByPublicId("wh_" + UUID.randomUUID())).isEmpty();
        assertThat(hooks.findWebhook(workspace.id(), UUID.randomUUID())).isEmpty();

        Instant rotatedAt = NOW.plusSeconds(60);
        WebhookTrigger rotated = hooks.saveWebhook(workspace.id(), workflow.id(), publicId, "k2:sealed-2", rotatedAt);
        assertThat(rotated).isEqualTo(new WebhookTrigger(workflow.id(), workspace.id(), publicId, "k2:sealed-2",
                rotatedAt));
        String newId = "wh_" + UUID.randomUUID();
        WebhookTrigger moved = hooks.saveWebhook(workspace.id(), workflow.id(), newId, "k2:sealed-3", rotatedAt);
        assertThat(hooks.findWebhookByPublicId(newId).orElseThrow()).isEqualTo(moved);
        assertThat(hooks.findWebhookByPublicId(publicId)).as("the old URL stops working").isEmpty();

        Workflow other = newWorkflow(workspace);
        assertRefused("uk_workflow_webhooks_webhook_id",
                () -> hooks.saveWebhook(workspace.id(), other.id(), newId, "k:x", NOW));
        assertThat(hooks.findWebhook(workspace.id(), other.id())).isEmpty();
        assertRefused("No workflow", () -> hooks.saveWebhook(workspace.id(), UUID.randomUUID(),
                "wh_" + UUID.randomUUID(), "k:x", NOW));
    }

    @Test
    void deliveriesAreRecordedAndListedNewestFirstByKeyset() {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        WorkflowRun run = runs.insertRun(keyedRun(workflow, null, null, "dlv-a"), NOW).orElseThrow();
        WebhookDelivery accepted = deliveries.recordDelivery(workflow.id(), "dlv-a", WebhookDelivery.Outcome.ACCEPTED,
                run.id(), 512, NOW.plusSeconds(1));
        assertThat(accepted).isEqualTo(new WebhookDelivery(accepted.id(), workflow.id(), "dlv-a", NOW.plusSeconds(1),
                WebhookDelivery.Outcome.ACCEPTED, run.id(), 512));
        List<WebhookDelivery> expected = new ArrayList<>(List.of(accepted));
        expected.add(deliveries.recordDelivery(workflow.id(), "dlv-a", WebhookDelivery.Outcome.DUPLICATE, null, 512,
                NOW.plusSeconds(2)));
        expected.add(deliveries.recordDelivery(workflow.id(), null, WebhookDelivery.Outcome.REJECTED_SIGNATURE, null, 0,
                NOW.plusSeconds(2)));
        expected.add(deliveries.recordDelivery(workflow.id(), "dlv-b", WebhookDelivery.Outcome.REFUSED_QUOTA, null, 90,
                NOW.plusSeconds(3)));
        expected.add(deliveries.recordDelivery(workflow.id(), "dlv-c", WebhookDelivery.Outcome.DISABLED, null, 1,
                NOW.plusSeconds(2)));
        deliveries.recordDelivery(newWorkflow(workspace).id(), "dlv-a", WebhookDelivery.Outcome.ACCEPTED, null, 1, NOW);
        expected.sort(Comparator.comparing(WebhookDelivery::receivedAt).thenComparing(WebhookDelivery::id, PG_UUID_ORDER)
                .reversed());

        assertThat(deliveries.listDeliveries(workflow.id(), null, 10)).isEqualTo(expected);
        assertThat(allPages(before -> deliveries.listDeliveries(workflow.id(), before, 2), 2,
                delivery -> new Keyset(delivery.receivedAt(), delivery.id()), 3)).isEqualTo(expected);
        assertThat(deliveries.listDeliveries(UUID.randomUUID(), null, 10)).isEmpty();
    }

    // --- tenancy ---

    @Test
    void anotherWorkspaceFindsNothingOfAWorkflow() throws Exception {
        Workspace a = newWorkspace();
        Workspace b = newWorkspace();
        Workflow workflow = newWorkflow(a);
        WorkflowRun run = insert(workflow, NOW);
        WorkflowRun queued = insert(workflow, NOW);
        DeadLetter letter = deadLetters.deadLetter(run.id(), "boom", null, NOW);
        Schedule schedule = schedules.saveSchedule(new Schedule(workflow.id(), a.id(), "0 * * * *", "UTC",
                MissedFiringPolicy.RUN_ONCE, false, NOW.plus(Duration.ofDays(1)), null), NOW);
        WebhookTrigger webhook = hooks.saveWebhook(a.id(), workflow.id(), "wh_" + UUID.randomUUID(), "k:s", NOW);

        assertThat(workflows.find(b.id(), workflow.id())).isEmpty();
        assertThat(workflows.list(b.id(), null, 10)).isEmpty();
        assertThat(workflows.update(b.id(), workflow.id(), settings("Taken", true, definition("x")), workflow.version(),
                null, NOW)).isEmpty();
        assertThat(workflows.restoreVersion(b.id(), workflow.id(), 1, "trigger.manual", null, null, NOW)).isEmpty();
        assertThat(workflows.delete(b.id(), workflow.id())).isFalse();

        assertThat(runs.findRun(b.id(), run.id())).isEmpty();
        assertThat(runs.cancelRun(b.id(), queued.id(), NOW)).isEmpty();
        assertThat(runs.listRuns(allRuns(b.id()))).isEmpty();
        assertThat(runs.listRuns(new RunQuery(b.id(), workflow.id(), Set.of(), null, null, null, 10))).isEmpty();

        assertThat(deadLetters.listDeadLetters(b.id(), null, 10)).isEmpty();
        assertThat(deadLetters.findDeadLetter(b.id(), letter.id())).isEmpty();
        assertThat(deadLetters.deleteDeadLetter(b.id(), letter.id())).isFalse();

        assertThat(schedules.findSchedule(b.id(), workflow.id())).isEmpty();
        assertThat(schedules.deleteSchedule(b.id(), workflow.id())).isFalse();
        assertRefused("No workflow", () -> schedules.saveSchedule(new Schedule(workflow.id(), b.id(), "* * * * *",
                "UTC", MissedFiringPolicy.RUN_ALL, false, NOW, null), NOW));

        assertThat(hooks.findWebhook(b.id(), workflow.id())).isEmpty();
        assertRefused("No workflow", () -> hooks.saveWebhook(b.id(), workflow.id(), "wh_" + UUID.randomUUID(),
                "k:s", NOW));

        // all of it is still there, unchanged, for its own workspace
        assertThat(workflows.find(a.id(), workflow.id()).orElseThrow()).isEqualTo(workflow);
        assertThat(workflows.listVersions(workflow.id(), null, 10))
                .extracting(WorkflowVersion::number).containsExactly(1);
        assertThat(runs.findRun(a.id(), queued.id()).orElseThrow()).isEqualTo(queued);
        assertThat(deadLetters.findDeadLetter(a.id(), letter.id()).orElseThrow()).isEqualTo(letter);
        assertThat(schedules.findSchedule(a.id(), workflow.id()).orElseThrow()).isEqualTo(schedule);
        assertThat(hooks.findWebhook(a.id(), workflow.id()).orElseThrow()).isEqualTo(webhook);
    }

    @Test
    void retentionDeletesOldFinishedRunsStepsFirstInBatchesAndKeepsTheRest() throws Exception {
        Workflow workflow = newWorkflow(newWorkspace());
        Instant old = NOW.minus(Duration.ofDays(200));
        WorkflowRun finished = insert(workflow, old);
        WorkflowRun finishedToo = insert(workflow, old.plusSeconds(1));
        WorkflowRun queued = insert(workflow, old.plusSeconds(2));
        WorkflowRun deadLettered = insert(workflow, old.plusSeconds(3));
        WorkflowRun recent = insert(workflow, NOW.minus(Duration.ofDays(1)));
        for (WorkflowRun run : List.of(finished, finishedToo, recent)) {
            Sql.update("UPDATE workflow_runs SET status = 'SUCCEEDED', finished_at = queued_at WHERE id = ?", run.id());
        }
        runs.recordStep(finished.id(), "a", RunStep.StepStatus.SUCCEEDED, 1, null, null, old, old);
        deadLetters.deadLetter(deadLettered.id(), "gave up", "a", old.plusSeconds(4));

        int deleted;
        do {
            deleted = runs.pruneRuns(PlanTier.WORKSPACE, NOW.minus(Duration.ofDays(90)), 1);
        } while (deleted == 1);

        assertThat(runs.findRun(workflow.workspaceId(), finished.id())).isEmpty();
        assertThat(runs.findRun(workflow.workspaceId(), finishedToo.id())).isEmpty();
        assertThat(runs.listSteps(finished.id())).isEmpty();
        assertThat(runs.findRun(workflow.workspaceId(), queued.id())).as("unfinished runs stay").isPresent();
        assertThat(runs.findRun(workflow.workspaceId(), deadLettered.id())).as("open dead letters stay").isPresent();
        assertThat(runs.findRun(workflow.workspaceId(), recent.id())).as("recent runs stay").isPresent();
        // a SOLO pass with a cutoff of now does not touch this WORKSPACE-tier workspace's runs
        runs.pruneRuns(PlanTier.SOLO, NOW, 100);
        assertThat(runs.findRun(workflow.workspaceId(), recent.id())).as("other tiers untouched").isPresent();
    }

    @Test
    void oldWebhookDeliveriesArePruned() {
        Workflow workflow = newWorkflow(newWorkspace());
        WebhookDelivery old = deliveries.recordDelivery(workflow.id(), "old", WebhookDelivery.Outcome.ACCEPTED, null, 10,
                NOW.minus(Duration.ofDays(30)));
        WebhookDelivery fresh = deliveries.recordDelivery(workflow.id(), "fresh", WebhookDelivery.Outcome.ACCEPTED, null, 10, NOW);
        while (deliveries.pruneDeliveries(NOW.minus(Duration.ofDays(14)), 1) == 1) {
            // batches of one
        }
        List<UUID> left = deliveries.listDeliveries(workflow.id(), null, 10).stream().map(WebhookDelivery::id).toList();
        assertThat(left).containsExactly(fresh.id());
        assertThat(left).doesNotContain(old.id());
    }
}
