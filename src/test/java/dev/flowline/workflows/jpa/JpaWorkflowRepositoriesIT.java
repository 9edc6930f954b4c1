package dev.flowline.workflows.jpa;

import dev.flowline.engine.EngineLease;
import dev.flowline.engine.RunExecutor;
import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.runs.ClaimedRun;
import dev.flowline.runs.DeadLetter;
import dev.flowline.runs.DeadLetterRepository;
import dev.flowline.runs.DeadLetterRequeue;
import dev.flowline.runs.DeadLetterService;
import dev.flowline.runs.ErrorRunRepository;
import dev.flowline.runs.ErrorRunRequest;
import dev.flowline.runs.LeaseState;
import dev.flowline.runs.NewRun;
import dev.flowline.runs.RunIds;
import dev.flowline.runs.RunPartition;
import dev.flowline.runs.RunPartitions;
import dev.flowline.runs.RunQuery;
import dev.flowline.runs.RunQueue;
import dev.flowline.runs.RunResume;
import dev.flowline.runs.RunResumeRepository;
import dev.flowline.runs.RunRepository;
import dev.flowline.runs.RunStatus;
import dev.flowline.runs.RunStep;
import dev.flowline.runs.RunSuccess;
import dev.flowline.runs.RunTrigger;
import dev.flowline.runs.StepRecord;
import dev.flowline.runs.TakenUnit;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.Fixtures;
import dev.flowline.testing.Sql;
import dev.flowline.triggers.ScheduleFiring;
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
import jakarta.json.JsonValue;
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

import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.flowline.testing.InMemoryRows.PG_UUID_ORDER;
import static dev.flowline.testing.Sql.row;
import static dev.flowline.testing.Threads.concurrently;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

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
        return Deployments.repositoriesOnPostgres();
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
    RunQueue queue;

    @Inject
    RunExecutor executor;

    @Inject
    DeadLetterRepository deadLetters;

    @Inject
    ScheduleFiring firing;

    @Inject
    DeadLetterService deadLetterService;

    @Inject
    ErrorRunRepository errorRuns;

    @Inject
    RunResumeRepository resumes;

    @Inject
    WebhookDeliveryRepository deliveries;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    UserRepository users;

    @Inject
    RunPartitions partitions;

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
                Json.createObjectBuilder().add("n", 1).build(), idempotencyKey, scheduledFor, deliveryId, null, null, null,
                null, null);
    }

    /** A webhook's run with its delivery id (nullable) and the hash of its signed request. */
    private static NewRun signedRun(Workflow workflow, String deliveryId, String requestHash) {
        return new NewRun(workflow.workspaceId(), workflow.id(), workflow.currentVersion(), RunTrigger.WEBHOOK,
                Json.createObjectBuilder().add("n", 1).build(), null, null, deliveryId, requestHash, null, null, null,
                null);
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
                true, "trigger.schedule", 1, 3, RETRY, null, NOW, NOW, created.version()));
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
                "trigger.webhook", 1, 7, exponential, null, NOW, t1, workflow.version() + 1));
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
        assertThat(hooks.findTargetByPublicId(webhookId)).isEmpty();
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
        NewRun rerun = new NewRun(workspace.id(), workflow.id(), 1, RunTrigger.RERUN, input, null, null, null, null,
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
                null, null, null, null, null, null, null, null), at).orElseThrow();
        assertThat(noInput.input()).as("input defaults to {}").isEqualTo(Json.createObjectBuilder().build());
        assertThat(noInput.rerunOf()).isNull();
        assertRefused("fk_workflow_runs_workflow_version", () -> runs.insertRun(new NewRun(workspace.id(),
                workflow.id(), 2, RunTrigger.MANUAL, null, null, null, null, null, null, null, null, null), at));
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

        WorkflowRun signed = runs.insertRun(signedRun(workflow, "dlv-3", "request-1"), NOW).orElseThrow();
        assertThat(runs.insertRun(signedRun(workflow, "dlv-4", "request-1"), NOW))
                .as("the same signed request under another delivery id: a replay").isEmpty();
        assertThat(runs.insertRun(signedRun(workflow, null, "request-1"), NOW)).as("or under none").isEmpty();
        assertThat(runs.findRunByWebhookRequest(workflow.id(), "request-1").orElseThrow()).isEqualTo(signed);
        assertThat(runs.findRunByWebhookRequest(workflow.id(), "request-2")).isEmpty();
        assertThat(runs.findRunByWebhookRequest(newWorkflow(workspace).id(), "request-1"))
                .as("per workflow").isEmpty();

        assertThat(runs.insertRun(manualRun(workflow), NOW)).isPresent();
        assertThat(runs.insertRun(manualRun(workflow), NOW)).as("runs without a key never conflict").isPresent();
        assertThat(runs.listRuns(allRuns(workspace.id()))).hasSize(9);
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
                    .startsWith("Limit").contains("Index Scan using ix_workflow_runs_")
                    // the partitions' index scans are merged in order (Merge Append's Sort Key), never sorted
                    .doesNotContainPattern("Sort\\s+\\(cost");
        }
    }

    /**
     * The generic plan of the statement that EclipseLink sent for {@code listing} (the latest one on
     * {@code workflow_runs} in pg_stat_activity: nothing else runs meanwhile; read while the listing's transaction is
     * still open, since its commit would become the connection's latest statement), explained on a connection of its
     * own with sequential scans, bitmap scans and sorts disabled, so that only an index that gives the order avoids a
     * Sort. {@code EXPLAIN (GENERIC_PLAN)} of a statement with {@code $n} placeholders needs PostgreSQL 16 or newer.
     */
    private String planOf(Runnable listing) throws Exception {
        transaction.begin();
        try {
            listing.run();
            return explainLatestListing();
        } finally {
            transaction.rollback();
        }
    }

    private static String explainLatestListing() throws Exception {
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
                Json.createObjectBuilder().build(), null, null, null, null, null, NOW, RunConsumption.OVERAGE, null);
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
                RunStep.StepStatus.FAILED, 1, null, "timeout", NOW.plusSeconds(1), NOW.plusSeconds(2), null));

        expected.sort(Comparator.comparing(RunStep::startedAt).thenComparing(RunStep::id, PG_UUID_ORDER));
        assertThat(runs.listSteps(run.id())).isEqualTo(expected);
        assertThat(runs.listSteps(UUID.randomUUID())).isEmpty();
        assertThat(allPages(after -> runs.listSteps(run.id(), after, 2), 2,
                step -> new Keyset(step.startedAt(), step.id()), 3)).as("in pages, ties of time by id")
                .isEqualTo(expected);
        assertThat(runs.listSteps(run.id(), null, 10)).isEqualTo(expected);
        assertThat(runs.listSteps(UUID.randomUUID(), null, 10)).isEmpty();
    }

    // --- the engine's queue ---
    // Each test claims in a window of its own, long past, and deletes its workspace when done: the claim is global,
    // so no other test's runs are due in the window, and no lease of these tests is left for another to take over.

    private Workflow newWorkflow(Workspace workspace, int concurrencyLimit) {
        return workflows.create(workspace.id(), new WorkflowSettings("Queue " + UUID.randomUUID().toString()
                .substring(0, 8), null, true, concurrencyLimit, RETRY, definition("a"), "trigger.manual"), null, NOW);
    }

    /** A run that took a quota unit of the period starting at {@code periodStart}. */
    private WorkflowRun paidRun(Workflow workflow, Instant periodStart, Instant at) {
        return runs.insertRun(new NewRun(workflow.workspaceId(), workflow.id(), workflow.currentVersion(),
                RunTrigger.MANUAL, Json.createObjectBuilder().build(), null, null, null, null, null, periodStart,
                RunConsumption.OVERAGE, null), at).orElseThrow();
    }

    /** The claimed runs among {@code mine}, by id (the claim may lease any due run of the database). */
    private static Map<UUID, ClaimedRun> ofMine(List<ClaimedRun> claimed, Set<UUID> mine) {
        return claimed.stream().filter(claim -> mine.contains(claim.run().id()))
                .collect(Collectors.toMap(claim -> claim.run().id(), Function.identity()));
    }

    private static StepRecord step(String nodeId, int attempt, Instant at) {
        return new StepRecord(nodeId, RunStep.StepStatus.SUCCEEDED, attempt,
                Json.createObjectBuilder().add("in", nodeId).build(),
                Json.createObjectBuilder().add("out", nodeId).build(), null, at, at.plusMillis(1));
    }

    private static RunStep stepOf(UUID runId, StepRecord step, UUID id) {
        return new RunStep(id, runId, step.nodeId(), step.status(), step.attempt(), step.output(), step.error(),
                step.startedAt(), step.finishedAt(), step.input());
    }

    /** The steps of the run as {@link StepRecord}s, in the order they started. */
    private List<StepRecord> stepsOf(UUID runId) {
        return runs.listSteps(runId).stream().map(step -> new StepRecord(step.nodeId(), step.status(), step.attempt(),
                step.input(), step.output(), step.error(), step.startedAt(), step.finishedAt())).toList();
    }

    private WorkflowRun reread(WorkflowRun run) {
        return runs.findRun(run.workspaceId(), run.id()).orElseThrow();
    }

    @Test
    void twoEnginesOnOneDatabaseExecuteEveryRunExactlyOnce() throws Exception {
        Instant base = Instant.parse("2010-01-01T00:00:00Z");
        Instant now = base.plus(Duration.ofHours(1));
        Workspace workspace = newWorkspace();
        try {
            JsonObject definition = Json.createReader(new StringReader("""
                    {"nodes":[{"id":"start","type":"trigger.manual","params":{}},
                      {"id":"set","type":"data.set","params":{"values":{"n":"{{input.n}}"}}}],
                     "edges":[{"from":"start","to":"set"}]}""")).readObject();
            List<Workflow> flows = IntStream.range(0, 5).mapToObj(i -> workflows.create(workspace.id(),
                    new WorkflowSettings("Engine " + i, null, true, 100, RETRY, definition, "trigger.manual"), null, base))
                    .toList();
            Set<UUID> mine = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                mine.add(insert(flows.get(i % 5), base.plusMillis(i)).id());
            }
            AtomicInteger executed = new AtomicInteger();
            // two engines: each claims batches and runs them with the product's executor, as its Dispatcher would
            List<Callable<Integer>> engines = IntStream.range(0, 2).<Callable<Integer>>mapToObj(i -> () -> {
                EngineLease lease = new EngineLease() {
                    @Override
                    public String owner() {
                        return "engine-" + i;
                    }

                    @Override
                    public Duration duration() {
                        return Duration.ofMinutes(1);
                    }

                    @Override
                    public boolean stopping() {
                        return false;
                    }
                };
                int calls = 0;
                while (executed.get() < 500 && calls++ < 2000) {
                    for (ClaimedRun claimed : queue.claim(lease.owner(), now, lease.duration(), 25)) {
                        executor.execute(claimed, lease);
                        if (mine.contains(claimed.run().id())) {
                            executed.incrementAndGet();
                        }
                    }
                }
                return calls;
            }).toList();
            concurrently(engines);

            assertThat(executed).as("runs executed by the two engines").hasValue(500);
            for (UUID runId : mine) {
                WorkflowRun run = runs.findRun(workspace.id(), runId).orElseThrow();
                assertThat(run.status()).as(run.toString()).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(run.output()).isEqualTo(Json.createObjectBuilder().add("n", 1).build());
                assertThat(runs.listSteps(runId)).as("each node once").extracting(RunStep::nodeId, RunStep::status)
                        .containsExactly(tuple("start", RunStep.StepStatus.SUCCEEDED),
                                tuple("set", RunStep.StepStatus.SUCCEEDED));
            }
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    @Test
    void concurrentClaimersLeaseEveryRunOnce() throws Exception {
        Instant base = Instant.parse("2011-01-01T00:00:00Z");
        Instant now = base.plus(Duration.ofHours(1));
        Workspace workspace = newWorkspace();
        try {
            // the concurrency limit is at most 100 (ck_workflows_concurrency_limit): 200 runs over 4 workflows
            List<Workflow> flows = IntStream.range(0, 4).mapToObj(i -> newWorkflow(workspace, 100)).toList();
            Set<UUID> mine = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                mine.add(insert(flows.get(i % 4), base.plusMillis(i)).id());
            }
            ConcurrentLinkedQueue<Map.Entry<String, ClaimedRun>> claimed = new ConcurrentLinkedQueue<>();
            AtomicInteger claimedOfMine = new AtomicInteger();
            // 4 instances, each claiming batches of 10 until all 200 are claimed: a claim may come back empty while
            // the others hold the candidates' rows (SKIP LOCKED), so "empty" alone does not mean "nothing left"
            List<Callable<Integer>> instances = IntStream.range(0, 4).<Callable<Integer>>mapToObj(i -> () -> {
                String owner = "instance-" + i;
                int calls = 0;
                while (claimedOfMine.get() < 200 && calls < 5000) {
                    List<ClaimedRun> batch = queue.claim(owner, now, Duration.ofMinutes(1), 10);
                    calls++;
                    assertThat(batch.size()).as("the limit holds").isLessThanOrEqualTo(10);
                    for (ClaimedRun run : batch) {
                        claimed.add(Map.entry(owner, run));
                        if (mine.contains(run.run().id())) {
                            claimedOfMine.incrementAndGet();
                        }
                    }
                    if (batch.isEmpty()) {
                        Thread.sleep(1);
                    }
                }
                return calls;
            }).toList();
            List<Integer> calls = concurrently(instances);

            List<Map.Entry<String, ClaimedRun>> ofMine = claimed.stream()
                    .filter(claim -> mine.contains(claim.getValue().run().id())).toList();
            List<UUID> ids = ofMine.stream().map(claim -> claim.getValue().run().id()).toList();
            assertThat(ids).as("claimed once each, in " + calls + " calls").doesNotHaveDuplicates().hasSize(200);
            assertThat(ids).hasSameElementsAs(mine);
            for (Map.Entry<String, ClaimedRun> claim : ofMine) {
                WorkflowRun run = claim.getValue().run();
                assertThat(claim.getValue().resumed()).as("a first attempt").isFalse();
                assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
                assertThat(run.leasedBy()).isEqualTo(claim.getKey());
                assertThat(run.leaseExpiresAt()).isEqualTo(now.plus(Duration.ofMinutes(1)));
                assertThat(run.attempt()).isEqualTo(1);
                assertThat(run.startedAt()).isEqualTo(now);
                assertThat(reread(run)).as("as stored").isEqualTo(run);
            }
            assertThat(ofMine(queue.claim("instance-late", now, Duration.ofMinutes(1), 10), mine))
                    .as("nothing left, and no lease expired").isEmpty();
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    @Test
    void aWorkflowRunsAtMostItsConcurrencyLimit() throws Exception {
        Instant base = Instant.parse("2012-01-01T00:00:00Z");
        Instant now = base.plus(Duration.ofHours(1));
        Workspace workspace = newWorkspace();
        try {
            Workflow workflow = newWorkflow(workspace, 2);
            List<WorkflowRun> queued = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                queued.add(insert(workflow, base.plusSeconds(i)));
            }
            Set<UUID> mine = queued.stream().map(WorkflowRun::id).collect(Collectors.toSet());
            Duration lease = Duration.ofMinutes(1);

            assertThat(ofMine(queue.claim("instance-a", now, lease, 10), mine).keySet())
                    .as("the two oldest").containsExactlyInAnyOrder(queued.get(0).id(), queued.get(1).id());
            assertThat(ofMine(queue.claim("instance-b", now.plusSeconds(1), lease, 10), mine))
                    .as("two are running under a live lease").isEmpty();
            assertThat(queue.claimOne(queued.get(2).id(), "instance-b", now.plusSeconds(1), lease))
                    .as("claimOne keeps the limit too").isEmpty();

            assertThat(queue.succeed(queued.get(0).id(), "instance-a", List.of(), null, now.plusSeconds(2))).isTrue();
            Map<UUID, ClaimedRun> next = ofMine(queue.claim("instance-b", now.plusSeconds(3), lease, 10), mine);
            assertThat(next.keySet()).as("one slot freed: the oldest waiting run").containsExactly(queued.get(2).id());
            assertThat(next.get(queued.get(2).id()).run().leasedBy()).isEqualTo("instance-b");
            assertThat(ofMine(queue.claim("instance-c", now.plusSeconds(4), lease, 10), mine)).isEmpty();
            assertThat(queued.subList(3, 5)).allSatisfy(run ->
                    assertThat(reread(run).status()).isEqualTo(RunStatus.QUEUED));
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    /** The trace context stored when a run is accepted comes back with its claim, for the engine to continue. */
    @Test
    void aClaimReturnsTheTraceparentStoredWithTheRun() {
        Instant base = Instant.parse("2013-03-01T00:00:00Z");
        Workspace workspace = newWorkspace();
        try {
            Workflow workflow = newWorkflow(workspace, 10);
            String traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            NewRun accepted = manualRun(workflow);
            WorkflowRun traced = runs.insertRun(new NewRun(accepted.workspaceId(), accepted.workflowId(),
                    accepted.workflowVersion(), accepted.trigger(), accepted.input(), null, null, null, null, null,
                    null, null, null, null, traceParent), base).orElseThrow();
            WorkflowRun untraced = insert(workflow, base);
            Instant now = base.plus(Duration.ofHours(1));

            assertThat(queue.claimOne(traced.id(), "instance-a", now, Duration.ofMinutes(1)))
                    .hasValueSatisfying(claimed -> assertThat(claimed.traceParent()).isEqualTo(traceParent));
            assertThat(queue.claimOne(untraced.id(), "instance-a", now, Duration.ofMinutes(1)))
                    .hasValueSatisfying(claimed -> assertThat(claimed.traceParent()).isNull());
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    @Test
    void aWorkflowAtItsLimitDoesNotHoldBackTheOthers() throws Exception {
        Instant base = Instant.parse("2012-06-01T00:00:00Z");
        Instant now = base.plus(Duration.ofHours(1));
        Workspace workspace = newWorkspace();
        try {
            // more due runs of a busy workflow than a claim's limit, all older than the other workflow's run
            Workflow busy = newWorkflow(workspace, 1);
            List<WorkflowRun> backlog = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                backlog.add(insert(busy, base.plusSeconds(i)));
            }
            WorkflowRun other = insert(newWorkflow(workspace, 1), base.plusSeconds(30));
            Set<UUID> mine = new HashSet<>(backlog.stream().map(WorkflowRun::id).toList());
            mine.add(other.id());
            Duration lease = Duration.ofMinutes(1);

            // candidates are taken per workflow, each within its free slots: the busy one's backlog fills nothing
            assertThat(ofMine(queue.claim("instance-a", now, lease, 10), mine).keySet())
                    .containsExactlyInAnyOrder(backlog.get(0).id(), other.id());
            assertThat(ofMine(queue.claim("instance-b", now.plusSeconds(1), lease, 10), mine))
                    .as("both workflows are at their limit").isEmpty();
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    @Test
    void aNoisyWorkspacesBacklogDoesNotHoldBackTheOtherWorkspacesRunsWhichShareEachBatchByTurns() throws Exception {
        // earlier than every other test's runs: no run of another test is due at these claims
        Instant base = Instant.parse("1999-01-01T00:00:00Z");
        Instant now = base.plus(Duration.ofHours(2));
        Workspace noisy = newWorkspace();
        Workspace quiet = newWorkspace();
        Workspace third = newWorkspace();
        Workspace fourth = newWorkspace();
        try {
            // 200 older due runs of one workflow with room for 100 at a time, then the others' newer runs
            Workflow busy = newWorkflow(noisy, 100);
            List<WorkflowRun> backlog = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                backlog.add(insert(busy, base.plusMillis(i)));
            }
            WorkflowRun single = insert(newWorkflow(quiet, 100), base.plus(Duration.ofHours(1)));
            Workflow thirds = newWorkflow(third, 100);
            Workflow fourths = newWorkflow(fourth, 100);
            List<WorkflowRun> threes = new ArrayList<>();
            List<WorkflowRun> fours = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                threes.add(insert(thirds, base.plus(Duration.ofHours(1)).plusSeconds(i + 1)));
                fours.add(insert(fourths, base.plus(Duration.ofHours(1)).plusSeconds(i + 1).plusMillis(500)));
            }
            Set<UUID> mine = new HashSet<>(backlog.stream().map(WorkflowRun::id).toList());
            mine.add(single.id());
            threes.forEach(run -> mine.add(run.id()));
            fours.forEach(run -> mine.add(run.id()));
            Duration lease = Duration.ofMinutes(1);

            // turn 1: each workspace's oldest; turn 2: the second of those that have one; turn 3: the oldest third
            assertThat(ofMine(queue.claim("instance-a", now, lease, 8), mine).keySet())
                    .as("oldest-first would take 8 of the backlog")
                    .containsExactlyInAnyOrder(backlog.get(0).id(), single.id(), threes.get(0).id(),
                            fours.get(0).id(), backlog.get(1).id(), threes.get(1).id(), fours.get(1).id(),
                            backlog.get(2).id());
            // the quiet workspaces' last runs take their turns, and the backlog fills the rest of the batch
            assertThat(ofMine(queue.claim("instance-b", now.plusSeconds(1), lease, 8), mine).keySet())
                    .containsExactlyInAnyOrder(backlog.get(3).id(), threes.get(2).id(), fours.get(2).id(),
                            backlog.get(4).id(), backlog.get(5).id(), backlog.get(6).id(), backlog.get(7).id(),
                            backlog.get(8).id());
            assertThat(ofMine(queue.claim("instance-c", now.plusSeconds(2), lease, 8), mine).keySet())
                    .as("oldest first within a workspace")
                    .containsExactlyInAnyOrderElementsOf(backlog.subList(9, 17).stream().map(WorkflowRun::id).toList());

            // a claim of one (a worker freed up): the workspace with fewer runs running goes first, not the oldest run
            WorkflowRun next = insert(workflows.find(quiet.id(), single.workflowId()).orElseThrow(), now);
            mine.add(next.id());
            assertThat(ofMine(queue.claim("instance-d", now.plusSeconds(3), lease, 1), mine).keySet())
                    .as("the noisy workspace has 17 runs running, the quiet one 1").containsExactly(next.id());
            assertThat(ofMine(queue.claim("instance-d", now.plusSeconds(3), lease, 1), mine).keySet())
                    .containsExactly(backlog.get(17).id());
        } finally {
            for (Workspace workspace : List.of(noisy, quiet, third, fourth)) {
                workspaces.delete(workspace.id());
            }
        }
    }

    @Test
    void claimersRacingForOneWorkflowNeverLeaseMoreThanItsLimit() throws Exception {
        // earlier than every other test's runs (and the noisy test's 1999): no run of another test is due here
        Instant base = Instant.parse("1997-01-01T00:00:00Z");
        Instant now = base.plus(Duration.ofHours(1));
        Duration lease = Duration.ofHours(2);
        Workspace first = newWorkspace();
        Workspace second = newWorkspace();
        try {
            for (int round = 0; round < 20; round++) {
                // per round a workflow of limit 1 and one of limit 2, in two workspaces, 6 due runs each; claims from
                // several instances at once: two batches and, per workflow, claims of one of its newest runs
                Workflow single = newWorkflow(first, 1);
                Workflow pair = newWorkflow(second, 2);
                List<WorkflowRun> singles = new ArrayList<>();
                List<WorkflowRun> pairs = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    singles.add(insert(single, base.plusSeconds(round * 10L + i)));
                    pairs.add(insert(pair, base.plusSeconds(round * 10L + i).plusMillis(500)));
                }
                List<Callable<Integer>> claimers = List.of(
                        () -> queue.claim("batch-a", now, lease, 10).size(),
                        () -> queue.claim("batch-b", now.plusMillis(1), lease, 10).size(),
                        () -> queue.claimOne(singles.get(5).id(), "one-a", now, lease).map(run -> 1).orElse(0),
                        () -> queue.claimOne(singles.get(4).id(), "one-b", now, lease).map(run -> 1).orElse(0),
                        () -> queue.claimOne(pairs.get(5).id(), "one-c", now, lease).map(run -> 1).orElse(0),
                        () -> queue.claimOne(pairs.get(4).id(), "one-d", now, lease).map(run -> 1).orElse(0));
                concurrently(claimers);
                assertThat(running(singles)).as("round %d: limit 1", round).isLessThanOrEqualTo(1);
                assertThat(running(pairs)).as("round %d: limit 2", round).isLessThanOrEqualTo(2);

                // a claim that lost a race left the runs to the next one: then each workflow is exactly at its limit
                queue.claim("batch-c", now.plusMillis(2), lease, 10);
                assertThat(running(singles)).as("round %d: limit 1, topped up", round).isEqualTo(1);
                assertThat(running(pairs)).as("round %d: limit 2, topped up", round).isEqualTo(2);
            }
        } finally {
            workspaces.delete(first.id());
            workspaces.delete(second.id());
        }
    }

    private long running(List<WorkflowRun> runsOfOneWorkflow) {
        return runsOfOneWorkflow.stream().filter(run -> reread(run).status() == RunStatus.RUNNING).count();
    }

    /**
     * The hand-off: a run accepted with a worker reserved is inserted RUNNING, leased to the reservation's holder (a
     * claim's fencing token: its writes are accepted, another holder's are not) while its workflow has room; at the
     * limit, behind an older due run, on a disabled workflow, or while another accept holds the workflow row, it is
     * queued instead, and that accept does not wait.
     */
    @Test
    void aRunAcceptedWithAReservedWorkerIsInsertedLeasedWhileItsWorkflowHasRoomElseQueued() throws Exception {
        // earlier than every other test's runs: no other run is due at these times
        Instant base = Instant.parse("1994-01-01T00:00:00Z");
        Instant until = base.plus(Duration.ofMinutes(1));
        Duration lease = Duration.ofMinutes(1);
        Workspace workspace = newWorkspace();
        ExecutorService elsewhere = Executors.newSingleThreadExecutor();
        try {
            Workflow workflow = newWorkflow(workspace, 2);
            WorkflowRun first = runs.insertRun(manualRun(workflow), base, "instance-a#7", until).orElseThrow();
            assertThat(first.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(first.leasedBy()).isEqualTo("instance-a#7");
            assertThat(first.leaseExpiresAt()).isEqualTo(until);
            assertThat(first.attempt()).isEqualTo(1);
            assertThat(first.startedAt()).isEqualTo(base);
            assertThat(reread(first)).as("stored as answered").isEqualTo(first);
            assertThat(queue.checkpoint(first.id(), "instance-b#1", List.of(), until))
                    .as("another holder writes nothing").isEqualTo(LeaseState.LOST);
            assertThat(queue.checkpoint(first.id(), "instance-a#7", List.of(), until)).isEqualTo(LeaseState.HELD);

            WorkflowRun second = runs.insertRun(manualRun(workflow), base.plusMillis(1), "instance-a#8", until)
                    .orElseThrow();
            assertThat(second.status()).isEqualTo(RunStatus.RUNNING);
            WorkflowRun third = runs.insertRun(manualRun(workflow), base.plusMillis(2), "instance-a#9", until)
                    .orElseThrow();
            assertThat(third.status()).as("at its limit of 2: queued").isEqualTo(RunStatus.QUEUED);
            assertThat(third.leasedBy()).isNull();
            assertThat(reread(third)).isEqualTo(third);
            assertThat(queue.claim("instance-c", base.plusMillis(3), lease, 10)).as("the limit holds").isEmpty();

            assertThat(queue.succeed(first.id(), "instance-a#7", List.of(), null, base.plusMillis(4))).isTrue();
            WorkflowRun fourth = runs.insertRun(manualRun(workflow), base.plusMillis(5), "instance-a#10", until)
                    .orElseThrow();
            assertThat(fourth.status()).as("room again, but an older run is due: it goes first")
                    .isEqualTo(RunStatus.QUEUED);
            assertThat(queue.claim("instance-c", base.plusMillis(6), lease, 10)).extracting(c -> c.run().id())
                    .containsExactly(third.id());

            Workflow roomy = newWorkflow(workspace, 5);
            transaction.begin();
            try {
                assertThat(runs.insertRun(manualRun(roomy), base, "instance-a#11", until).orElseThrow().status())
                        .isEqualTo(RunStatus.RUNNING);
                Future<WorkflowRun> meanwhile = elsewhere.submit(() -> runs.insertRun(manualRun(roomy),
                        base.plusMillis(1), "instance-b#2", until).orElseThrow());
                assertThat(meanwhile.get(10, TimeUnit.SECONDS).status())
                        .as("an accept that finds the workflow row locked queues at once").isEqualTo(RunStatus.QUEUED);
            } finally {
                transaction.commit();
            }

            Workflow disabled = newWorkflow(workspace, false, NOW);
            assertThat(runs.insertRun(manualRun(disabled), base, "instance-a#12", until).orElseThrow().status())
                    .isEqualTo(RunStatus.QUEUED);
            String key = "handoff-" + UUID.randomUUID();
            WorkflowRun keyed = runs.insertRun(keyedRun(roomy, key, null, null), base, "instance-a#13", until)
                    .orElseThrow();
            assertThat(runs.insertRun(keyedRun(roomy, key, null, null), base, "instance-a#14", until))
                    .as("a repeated key inserts nothing").isEmpty();
            assertThat(reread(keyed).leasedBy()).isEqualTo(keyed.leasedBy());
        } finally {
            elsewhere.shutdownNow();
            workspaces.delete(workspace.id());
        }
    }

    /**
     * Accepts with reserved workers and claims racing for one workflow never lease more than its limit: the accept
     * counts the room under the workflow row's lock and moves {@code claims}, as a claim does.
     */
    @Test
    void acceptsAndClaimsRacingForOneWorkflowNeverLeaseMoreThanItsLimit() throws Exception {
        Instant base = Instant.parse("1993-01-01T00:00:00Z");
        Duration lease = Duration.ofHours(2);
        Workspace workspace = newWorkspace();
        try {
            for (int round = 0; round < 10; round++) {
                Workflow workflow = newWorkflow(workspace, 3);
                Instant now = base.plusSeconds(round * 10L);
                // odd rounds: two older runs wait, which the claims race the accepts for
                List<WorkflowRun> queued = new ArrayList<>();
                for (int i = 0; i < (round % 2) * 2; i++) {
                    queued.add(insert(workflow, now.minusMillis(100 - i)));
                }
                List<Callable<Optional<WorkflowRun>>> racers = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    int n = i;
                    racers.add(() -> runs.insertRun(manualRun(workflow), now.plusMillis(n), "accept#" + n,
                            now.plus(lease)));
                }
                racers.add(() -> {
                    queue.claim("batch-a", now, lease, 10);
                    return Optional.empty();
                });
                if (!queued.isEmpty()) {
                    racers.add(() -> {
                        queue.claimOne(queued.get(1).id(), "one-a", now, lease);
                        return Optional.empty();
                    });
                }
                List<WorkflowRun> all = new ArrayList<>(queued);
                concurrently(racers).forEach(inserted -> inserted.ifPresent(all::add));
                assertThat(all).hasSize(queued.size() + 8);
                assertThat(running(all)).as("round %d: limit 3", round).isLessThanOrEqualTo(3);
                queue.claim("batch-b", now.plusSeconds(1), lease, 10);
                assertThat(running(all)).as("round %d: topped up to the limit", round).isEqualTo(3);
            }
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheFormerOwnerWritesNothing() throws Exception {
        Instant t = Instant.parse("2013-01-01T01:00:00Z");
        Workspace workspace = newWorkspace();
        try {
            WorkflowRun run = insert(newWorkflow(workspace), t.minus(Duration.ofHours(1)));
            Set<UUID> mine = Set.of(run.id());

            ClaimedRun first = ofMine(queue.claim("instance-a", t, Duration.ofSeconds(1), 10), mine).get(run.id());
            assertThat(first.resumed()).isFalse();
            assertThat(first.run().attempt()).isEqualTo(1);
            assertThat(first.run().leaseExpiresAt()).isEqualTo(t.plusSeconds(1));
            assertThat(ofMine(queue.claim("instance-b", t.plusMillis(500), Duration.ofMinutes(1), 10), mine))
                    .as("the lease is live").isEmpty();
            assertThat(queue.claimOne(run.id(), "instance-b", t.plusMillis(500), Duration.ofMinutes(1))).isEmpty();

            Instant later = t.plusSeconds(2);
            ClaimedRun taken = ofMine(queue.claim("instance-b", later, Duration.ofMinutes(1), 10), mine).get(run.id());
            assertThat(taken).as("the lease expired: taken over").isNotNull();
            assertThat(taken.resumed()).isTrue();
            assertThat(taken.run()).isEqualTo(new WorkflowRun(run.id(), workspace.id(), run.workflowId(), 1,
                    RunStatus.RUNNING, RunTrigger.MANUAL, run.input(), null, null, 2, null, null, null, null, false,
                    run.queuedAt(), t, null, run.nextAttemptAt(), "instance-b", later.plus(Duration.ofMinutes(1))));

            // the former owner wakes up: every write answers that the lease is lost, and changes nothing
            Instant late = t.plusSeconds(3);
            List<StepRecord> stale = List.of(step("a", 1, t));
            assertThat(queue.checkpoint(run.id(), "instance-a", stale, late.plusSeconds(60))).isEqualTo(LeaseState.LOST);
            assertThat(queue.succeed(run.id(), "instance-a", stale, Json.createObjectBuilder().add("by", "a").build(),
                    late)).isFalse();
            assertThat(queue.retryAt(run.id(), "instance-a", stale, "boom", late)).isFalse();
            assertThat(queue.waitUntil(run.id(), "instance-a", stale, late)).isFalse();
            assertThat(queue.cancel(run.id(), "instance-a", stale, late)).isFalse();
            assertThat(queue.deadLetter(run.id(), "instance-a", stale, "boom", "a", late)).isFalse();
            assertThat(queue.refuse(run.id(), "instance-a", "disabled", late)).isEmpty();
            assertThat(queue.release("instance-a", List.of(run.id()), late)).isZero();
            assertThat(queue.renew("instance-a", List.of(run.id()), late.plusSeconds(60))).isEmpty();
            assertThat(reread(run)).as("unchanged").isEqualTo(taken.run());
            assertThat(runs.listSteps(run.id())).as("none of the former owner's steps").isEmpty();
            assertThat(deadLetters.listDeadLetters(workspace.id(), null, 10)).isEmpty();

            // the new owner renews, checkpoints and succeeds
            Instant renewed = late.plus(Duration.ofMinutes(2));
            assertThat(queue.renew("instance-b", List.of(run.id(), UUID.randomUUID()), renewed)).containsExactly(run.id());
            assertThat(reread(run).leaseExpiresAt()).isEqualTo(renewed);
            StepRecord a = step("a", 2, later);
            StepRecord b = step("b", 2, late);
            assertThat(queue.checkpoint(run.id(), "instance-b", List.of(a), renewed)).isEqualTo(LeaseState.HELD);
            JsonObject output = Json.createObjectBuilder().add("out", "b").build();
            Instant done = t.plusSeconds(4);
            assertThat(queue.succeed(run.id(), "instance-b", List.of(b), output, done)).isTrue();
            assertThat(reread(run)).isEqualTo(new WorkflowRun(run.id(), workspace.id(), run.workflowId(), 1,
                    RunStatus.SUCCEEDED, RunTrigger.MANUAL, run.input(), output, null, 2, null, null, null, null,
                    false, run.queuedAt(), t, done, run.nextAttemptAt(), null, null));
            List<RunStep> steps = runs.listSteps(run.id());
            assertThat(steps).hasSize(2);
            assertThat(steps).isEqualTo(List.of(stepOf(run.id(), a, steps.get(0).id()),
                    stepOf(run.id(), b, steps.get(1).id())));
            assertThat(queue.succeed(run.id(), "instance-b", List.of(b), output, done)).as("the lease ended").isFalse();
            assertThat(runs.listSteps(run.id())).hasSize(2);
            assertThat(ofMine(queue.claim("instance-c", done.plus(Duration.ofHours(1)), Duration.ofMinutes(1), 10),
                    mine)).as("finished").isEmpty();
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    /**
     * The frozen instance (bench/frozen-instance.sh): instance A froze past its lease, B took the run over and parked
     * it, and A, awake again, leased the same run anew before its old walk wrote. The engine names each claim's holder
     * apart ({@code <instance>#<claim>}), so every lease-guarded write of the old walk, under its old holder, is
     * refused and changes nothing. Each write is tried in a transaction rolled back afterwards, so each check stands
     * alone: with its guard removed, that write alone succeeds and its answer alone differs (the map shows which).
     */
    @Test
    void aFormerHolderWritesNothingEvenAfterItsInstanceLeasedTheRunAgain() throws Exception {
        Instant t = Instant.parse("2013-01-08T01:00:00Z");
        Workspace workspace = newWorkspace();
        try {
            // a run that took a quota unit: a refusal it should not make would answer that unit
            WorkflowRun run = paidRun(newWorkflow(workspace), Instant.parse("2013-01-08T00:00:00Z"),
                    t.minus(Duration.ofHours(1)));
            Set<UUID> mine = Set.of(run.id());
            assertThat(ofMine(queue.claim("instance-a#1", t, Duration.ofSeconds(1), 10), mine)).hasSize(1);
            // A froze; its lease expired; B took the run over and parked it (a delay ending at once), no step written
            Instant taken = t.plusSeconds(2);
            assertThat(ofMine(queue.claim("instance-b#1", taken, Duration.ofMinutes(1), 10), mine)).hasSize(1);
            assertThat(queue.waitUntil(run.id(), "instance-b#1", List.of(), taken.plusSeconds(1))).isTrue();
            // A woke up and its next claim leased the run again, under the holder of that claim
            Instant again = taken.plusSeconds(1);
            ClaimedRun current = ofMine(queue.claim("instance-a#2", again, Duration.ofMinutes(1), 10), mine)
                    .get(run.id());
            assertThat(current.run().leasedBy()).isEqualTo("instance-a#2");
            assertThat(current.run().attempt()).as("a takeover, then a park").isEqualTo(2);

            // the walk of A's first claim goes on where it froze: every write under "instance-a#1" is refused
            Instant late = again.plusMillis(500);
            List<StepRecord> stale = List.of(step("a", 1, t));
            JsonObject output = Json.createObjectBuilder().add("by", "stale").build();
            Map<String, Object> answers = new LinkedHashMap<>();
            answers.put("checkpoint", rolledBack(() -> queue.checkpoint(run.id(), "instance-a#1", stale,
                    late.plusSeconds(60))));
            answers.put("renew", rolledBack(() -> queue.renew("instance-a#1", List.of(run.id()), late.plusSeconds(60))));
            answers.put("succeed", rolledBack(() -> queue.succeed(run.id(), "instance-a#1", stale, output, late)));
            answers.put("succeedAll", rolledBack(() -> queue.succeedAll(List.of(
                    new RunSuccess(run.id(), "instance-a#1", stale, output)), late)));
            // parking: a delay, flow.wait, flow.call and flow.forEach all park with waitUntil
            answers.put("waitUntil", rolledBack(() -> queue.waitUntil(run.id(), "instance-a#1", stale, late)));
            answers.put("retryAt", rolledBack(() -> queue.retryAt(run.id(), "instance-a#1", stale, "boom", late)));
            answers.put("cancel", rolledBack(() -> queue.cancel(run.id(), "instance-a#1", stale, late)));
            answers.put("deadLetter", rolledBack(() -> queue.deadLetter(run.id(), "instance-a#1", stale, "boom", "a",
                    late)));
            answers.put("refuse", rolledBack(() -> queue.refuse(run.id(), "instance-a#1", "disabled", late)));
            answers.put("release", rolledBack(() -> queue.release("instance-a#1", List.of(run.id()), late)));
            Map<String, Object> refused = new LinkedHashMap<>();
            refused.put("checkpoint", LeaseState.LOST);
            refused.put("renew", Set.of());
            refused.put("succeed", false);
            refused.put("succeedAll", Set.of());
            refused.put("waitUntil", false);
            refused.put("retryAt", false);
            refused.put("cancel", false);
            refused.put("deadLetter", false);
            refused.put("refuse", Optional.empty());
            refused.put("release", 0);
            assertThat(answers).as("every write of the walk that lost its lease, each alone").isEqualTo(refused);
            assertThat(reread(run)).as("unchanged").isEqualTo(current.run());
            assertThat(runs.listSteps(run.id())).isEmpty();
            assertThat(deadLetters.listDeadLetters(workspace.id(), null, 10)).isEmpty();

            // the current claim's walk writes as usual
            assertThat(queue.succeed(run.id(), "instance-a#2", List.of(step("a", 2, again)), output, late)).isTrue();
            assertThat(reread(run).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(stepsOf(run.id())).containsExactly(step("a", 2, again));
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    /** Calls {@code write} in a transaction rolled back afterwards; answers what it answered. */
    private <T> T rolledBack(Callable<T> write) {
        try {
            transaction.begin();
            try {
                return write.call();
            } finally {
                transaction.rollback();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRunWhoseLeaseExpiresFourTimesIsDeadLetteredNotClaimedAFifthTime() throws Exception {
        Instant t = Instant.parse("2013-01-15T01:00:00Z");
        Workspace workspace = newWorkspace();
        try {
            Workflow workflow = newWorkflow(workspace);
            WorkflowRun run = insert(workflow, t.minus(Duration.ofHours(1)));
            WorkflowRun other = insert(workflow, t.minus(Duration.ofHours(1)));
            Set<UUID> mine = Set.of(run.id(), other.id());
            Duration lease = Duration.ofSeconds(1);
            assertThat(ofMine(queue.claim("instance-0", t, lease, 10), mine)).hasSize(2);
            assertThat(takeovers(run)).as("a first claim is no takeover").isZero();
            // "other" keeps its lease renewed: only "run" keeps killing whoever runs it
            for (int i = 1; i <= 3; i++) {
                Instant at = t.plusSeconds(2L * i);
                assertThat(queue.renew("instance-0", List.of(other.id()), at.plusSeconds(60))).hasSize(1);
                ClaimedRun taken = ofMine(queue.claim("instance-" + i, at, lease, 10), mine).get(run.id());
                assertThat(taken).as("takeover %d of the default 3", i).isNotNull();
                assertThat(taken.resumed()).isTrue();
                assertThat(taken.run().attempt()).isEqualTo(i + 1);
                assertThat(takeovers(run)).isEqualTo(i);
            }

            Instant fourth = t.plusSeconds(8);
            assertThat(queue.claimOne(run.id(), "instance-4", fourth, lease)).as("claimOne keeps the cap too").isEmpty();
            WorkflowRun dead = reread(run);
            assertThat(dead.status()).as("claimOne's statement dead-lettered it").isEqualTo(RunStatus.DEAD_LETTERED);
            assertThat(dead.error()).startsWith("The run was stopped after 3 takeovers (flowline.engine.max-takeovers)");
            assertThat(dead.finishedAt()).isEqualTo(fourth);
            assertThat(dead.leasedBy()).isNull();
            assertThat(dead.leaseExpiresAt()).isNull();
            assertThat(dead.attempt()).isEqualTo(4);
            assertThat(deadLetters.listDeadLetters(workspace.id(), null, 10)).singleElement().satisfies(letter -> {
                assertThat(letter.runId()).isEqualTo(run.id());
                assertThat(letter.workflowId()).isEqualTo(workflow.id());
                assertThat(letter.error()).isEqualTo(dead.error());
                assertThat(letter.lastNodeId()).isNull();
                assertThat(letter.attempts()).isEqualTo(4);
                assertThat(letter.createdAt()).isEqualTo(fourth);
            });
            assertThat(ofMine(queue.claim("instance-5", fourth.plus(Duration.ofHours(1)), lease, 10), mine).keySet())
                    .as("never claimed again; the other run's lease expired once: taken over")
                    .containsExactly(other.id());
            assertThat(queue.deadLetter(run.id(), "instance-3", List.of(), "late", "a", fourth)).isFalse();
            assertThat(reread(run)).isEqualTo(dead);
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    @Test
    void theBatchClaimDeadLettersARunPastTheTakeoverCapAndStillClaimsTheOthers() throws Exception {
        Instant t = Instant.parse("2013-01-20T01:00:00Z");
        Workspace workspace = newWorkspace();
        try {
            Workflow workflow = newWorkflow(workspace, 1);
            WorkflowRun stuck = insert(workflow, t.minus(Duration.ofHours(2)));
            WorkflowRun next = insert(workflow, t.minus(Duration.ofHours(1)));
            Set<UUID> mine = Set.of(stuck.id(), next.id());
            assertThat(ofMine(queue.claim("instance-a", t, Duration.ofSeconds(1), 10), mine).keySet())
                    .as("the workflow's limit is 1").containsExactly(stuck.id());
            Sql.update("UPDATE workflow_runs SET takeovers = 3 WHERE id = ?", stuck.id());

            Instant later = t.plusSeconds(5);
            Map<UUID, ClaimedRun> claimed = ofMine(queue.claim("instance-b", later, Duration.ofMinutes(1), 10), mine);

            assertThat(claimed.keySet()).as("the slot the dead run held goes to the next run, in the same claim")
                    .containsExactly(next.id());
            assertThat(claimed.get(next.id()).resumed()).isFalse();
            assertThat(takeovers(next)).isZero();
            assertThat(reread(stuck).status()).isEqualTo(RunStatus.DEAD_LETTERED);
            assertThat(deadLetters.listDeadLetters(workspace.id(), null, 10)).extracting(DeadLetter::runId)
                    .containsExactly(stuck.id());
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    /**
     * The trigger on {@code dead_letters} (migration 0032) files one error run request with every dead letter of a
     * workflow that names an error workflow, whichever statement writes it: the engine's dead letter, the claim's
     * takeover cap, the repository's; not for a workflow without one, nor for a run that is an error run.
     */
    @Test
    void everyDeadLetterOfAWorkflowWithAnErrorWorkflowFilesOneErrorRunRequestExceptForErrorRuns() throws Exception {
        Instant t = Instant.parse("2013-01-25T01:00:00Z");
        Workspace workspace = newWorkspace();
        try {
            Workflow handler = newWorkflow(workspace, 10);
            Workflow guarded = workflows.create(workspace.id(), new WorkflowSettings("Guarded", null, true, 10, RETRY,
                    handler.id(), definition("a"), "trigger.manual"), null, NOW);
            assertThat(guarded.errorWorkflowId()).isEqualTo(handler.id());
            assertThat(workflows.find(workspace.id(), guarded.id()).orElseThrow()).isEqualTo(guarded);
            Workflow plain = newWorkflow(workspace, 10);
            WorkflowRun failed = insert(guarded, t.minus(Duration.ofHours(3)));
            WorkflowRun capped = insert(guarded, t.minus(Duration.ofHours(3)));
            WorkflowRun unguarded = insert(plain, t.minus(Duration.ofHours(3)));
            WorkflowRun errorRun = runs.insertRun(new NewRun(workspace.id(), guarded.id(), guarded.currentVersion(),
                    RunTrigger.ERROR, Json.createObjectBuilder().build(), "dead-letter:x", null, null, null, null,
                    null, null, null), t.minus(Duration.ofHours(3))).orElseThrow();
            Set<UUID> mine = Set.of(failed.id(), capped.id(), unguarded.id(), errorRun.id());
            assertThat(ofMine(queue.claim("instance-a", t, Duration.ofSeconds(1), 10), mine)).hasSize(4);

            for (WorkflowRun run : List.of(failed, unguarded, errorRun)) {
                assertThat(queue.deadLetter(run.id(), "instance-a", List.of(), "HTTP 404", "call", t)).isTrue();
            }
            Sql.update("UPDATE workflow_runs SET takeovers = 3 WHERE id = ?", capped.id());
            assertThat(ofMine(queue.claim("instance-b", t.plusSeconds(5), Duration.ofMinutes(1), 10), mine)).isEmpty();
            assertThat(reread(capped).status()).as("dead-lettered by the claim").isEqualTo(RunStatus.DEAD_LETTERED);
            WorkflowRun byRepository = insert(guarded, t.minus(Duration.ofHours(3)));
            deadLetters.deadLetter(byRepository.id(), "by hand", null, t.plusSeconds(6));

            for (WorkflowRun run : List.of(failed, capped, byRepository)) {
                assertThat(errorRuns.outcomeFor(run.id())).as("pending").hasValueSatisfying(outcome ->
                        assertThat(outcome.outcome()).isNull());
            }
            assertThat(errorRuns.outcomeFor(unguarded.id())).as("no error workflow").isEmpty();
            assertThat(errorRuns.outcomeFor(errorRun.id())).as("an error run starts none").isEmpty();

            // taken oldest first (these, of 2013, before any other test's), each marked in its transaction; a
            // request taken but not marked (a rolled back start) stays pending
            transaction.begin();
            ErrorRunRequest first = errorRuns.lockNextPending().orElseThrow();
            assertThat(first).isEqualTo(new ErrorRunRequest(first.id(), workspace.id(), failed.id(), guarded.id(),
                    "Guarded", handler.id(), "call", "HTTP 404", 1, t));
            errorRuns.markStarted(first.id(), errorRun.id(), t.plusSeconds(7));
            transaction.commit();
            transaction.begin();
            ErrorRunRequest second = errorRuns.lockNextPending().orElseThrow();
            assertThat(second.runId()).isEqualTo(capped.id());
            assertThat(second.error()).startsWith("The run was stopped after 3 takeovers");
            assertThat(second.failedNodeId()).isNull();
            errorRuns.markRefused(second.id(), "quota", t.plusSeconds(7));
            transaction.commit();
            transaction.begin();
            assertThat(errorRuns.lockNextPending().orElseThrow().runId()).isEqualTo(byRepository.id());
            transaction.rollback();
            Map<UUID, ErrorRunRequest> taken = Map.of(failed.id(), first, capped.id(), second);

            assertThat(errorRuns.outcomeFor(failed.id())).hasValue(new ErrorRunRepository.ErrorRunOutcome(
                    taken.get(failed.id()).id(), "STARTED", errorRun.id(), null));
            assertThat(errorRuns.outcomeFor(capped.id())).hasValue(new ErrorRunRepository.ErrorRunOutcome(
                    taken.get(capped.id()).id(), "REFUSED", null, "quota"));
            assertThat(errorRuns.outcomeFor(byRepository.id()).orElseThrow().outcome()).as("taken, rolled back: pending")
                    .isNull();

            // deleting the error workflow clears the reference, and its pending requests go with it
            assertThat(workflows.delete(workspace.id(), handler.id())).isTrue();
            assertThat(workflows.find(workspace.id(), guarded.id()).orElseThrow().errorWorkflowId()).isNull();
            assertThat(errorRuns.outcomeFor(byRepository.id())).isEmpty();
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    private static int takeovers(WorkflowRun run) throws Exception {
        return ((Number) Sql.row("SELECT takeovers FROM workflow_runs WHERE id = ?", run.id()).get(0)).intValue();
    }

    @Test
    void succeedAllWritesInOneStatementOnlyTheRunsStillLeasedToTheOwnerWithTheirSteps() throws Exception {
        Instant t = Instant.parse("2013-02-01T01:00:00Z");
        Workspace workspace = newWorkspace();
        try {
            WorkflowRun kept = insert(newWorkflow(workspace), t.minus(Duration.ofHours(1)));
            WorkflowRun alsoKept = insert(newWorkflow(workspace), t.minus(Duration.ofHours(1)));
            WorkflowRun lost = insert(newWorkflow(workspace), t.minus(Duration.ofHours(1)));
            Set<UUID> mine = Set.of(kept.id(), alsoKept.id(), lost.id());
            assertThat(ofMine(queue.claim("instance-a", t, Duration.ofSeconds(1), 10), mine)).hasSize(3);
            assertThat(queue.renew("instance-a", List.of(kept.id(), alsoKept.id()), t.plusSeconds(60)))
                    .containsExactlyInAnyOrder(kept.id(), alsoKept.id());
            Instant later = t.plusSeconds(2);
            assertThat(ofMine(queue.claim("instance-b", later, Duration.ofMinutes(1), 10), mine).keySet())
                    .as("only the lease not renewed expired").containsExactly(lost.id());

            JsonObject output = Json.createObjectBuilder().add("out", "kept").build();
            List<StepRecord> keptSteps = List.of(step("trigger", 1, t), step("set", 1, t.plusMillis(2)));
            StepRecord failedThenFixed = new StepRecord("http", RunStep.StepStatus.FAILED, 1, null, null, "a 503",
                    t.plusMillis(3), t.plusMillis(4));
            Instant done = t.plusSeconds(3);
            Set<UUID> written = queue.succeedAll(List.of(
                    new RunSuccess(kept.id(), "instance-a", keptSteps, output),
                    new RunSuccess(alsoKept.id(), "instance-a", List.of(failedThenFixed), null),
                    new RunSuccess(lost.id(), "instance-a", List.of(step("trigger", 1, t)), output)), done);

            assertThat(written).containsExactlyInAnyOrder(kept.id(), alsoKept.id());
            assertThat(reread(kept).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(reread(kept).output()).isEqualTo(output);
            assertThat(reread(kept).finishedAt()).isEqualTo(done);
            assertThat(reread(kept).leasedBy()).isNull();
            assertThat(stepsOf(kept.id())).isEqualTo(keptSteps);
            assertThat(reread(alsoKept).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(reread(alsoKept).output()).as("no output").isNull();
            assertThat(stepsOf(alsoKept.id())).as("an error, no input or output").containsExactly(failedThenFixed);
            assertThat(reread(lost).status()).as("instance-b's now").isEqualTo(RunStatus.RUNNING);
            assertThat(reread(lost).leasedBy()).isEqualTo("instance-b");
            assertThat(runs.listSteps(lost.id())).as("none of the former owner's steps").isEmpty();
            assertThat(queue.succeedAll(List.of(), done)).isEmpty();
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    @Test
    void aHeldWorkflowIsDeletedOnlyAfterTheTransactionThatReferencesItEnds() throws Exception {
        Workspace workspace = newWorkspace();
        Workspace other = newWorkspace();
        ExecutorService elsewhere = Executors.newSingleThreadExecutor();
        try {
            Workflow target = newWorkflow(workspace);
            assertThat(workflows.holdIfExists(other.id(), target.id())).as("another workspace's").isFalse();
            transaction.begin();
            Future<Boolean> delete;
            try {
                assertThat(workflows.holdIfExists(workspace.id(), target.id())).isTrue();
                delete = elsewhere.submit(() -> workflows.delete(workspace.id(), target.id()));
                Thread.sleep(500);
                assertThat(delete).as("a delete in another transaction waits for the hold").isNotDone();
            } finally {
                transaction.commit();
            }
            assertThat(delete.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(workflows.holdIfExists(workspace.id(), target.id())).isFalse();
        } finally {
            elsewhere.shutdownNow();
            workspaces.delete(workspace.id());
            workspaces.delete(other.id());
        }
    }

    @Test
    void aWakeMakesAParkedRunDueAndIsNotLostWhenItComesWhileTheRunStillRuns() throws Exception {
        Instant t = Instant.parse("2014-02-01T01:00:00Z");
        Workspace workspace = newWorkspace();
        try {
            Workflow workflow = newWorkflow(workspace);
            WorkflowRun run = insert(workflow, t.minus(Duration.ofHours(1)));
            Duration lease = Duration.ofMinutes(1);
            Instant deadline = t.plus(Duration.ofDays(1));

            // parked with nothing woken: due at its deadline only
            assertThat(queue.claimOne(run.id(), "instance-a", t, lease)).isPresent();
            assertThat(queue.waitUntil(run.id(), "instance-a", List.of(), deadline)).isTrue();
            assertThat(reread(run).nextAttemptAt()).isEqualTo(deadline);

            // woken while parked: due at once
            Instant woken = t.plusSeconds(5);
            assertThat(queue.wake(run.id(), woken)).isTrue();
            assertThat(reread(run).nextAttemptAt()).isEqualTo(woken);
            assertThat(reread(run).status()).isEqualTo(RunStatus.QUEUED);

            // claimed again, then woken before it parks (a child ended meanwhile): it parks due at once, not lost
            Instant claimedAt = t.plusSeconds(10);
            assertThat(queue.claimOne(run.id(), "instance-a", claimedAt, lease)).isPresent();
            Instant wokenWhileRunning = claimedAt.plusSeconds(1);
            assertThat(queue.wake(run.id(), wokenWhileRunning)).isTrue();
            assertThat(queue.waitUntil(run.id(), "instance-a", List.of(), deadline)).isTrue();
            assertThat(reread(run).nextAttemptAt()).isEqualTo(wokenWhileRunning);

            // the wake-up that made it due is used up by the claim: parking again waits for the deadline
            assertThat(queue.claimOne(run.id(), "instance-a", claimedAt.plusSeconds(2), lease)).isPresent();
            assertThat(queue.waitUntil(run.id(), "instance-a", List.of(), deadline)).isTrue();
            assertThat(reread(run).nextAttemptAt()).isEqualTo(deadline);

            // a finished run is not woken
            assertThat(queue.claimOne(run.id(), "instance-a", deadline, lease)).isPresent();
            assertThat(queue.cancel(run.id(), "instance-a", List.of(), deadline)).isTrue();
            assertThat(queue.wake(run.id(), deadline.plusSeconds(1))).isFalse();
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    /**
     * How a wait ended is recorded once, by whichever comes first, only for a flow.wait node of the run's version and
     * only while the run is unfinished: the guards are in the inserting statement.
     */
    @Test
    void aWaitsEndIsRecordedOnceForAWaitNodeOfAnUnfinishedRun() {
        Workspace workspace = newWorkspace();
        try {
            JsonObject definition = Json.createObjectBuilder().add("nodes", Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("id", "a").add("type", "data.set"))
                    .add(Json.createObjectBuilder().add("id", "approval").add("type", "flow.wait"))
                    .add(Json.createObjectBuilder().add("id", "second").add("type", "flow.wait")))
                    .add("edges", Json.createArrayBuilder()).build();
            Workflow workflow = workflows.create(workspace.id(), settings("Waits", true, definition), null, NOW);
            WorkflowRun run = insert(workflow, NOW);
            JsonObject body = Json.createObjectBuilder().add("approved", true).build();

            assertThat(resumes.record(run.id(), "a", RunResume.Outcome.RESUMED, body, NOW)).as("not a wait").isFalse();
            assertThat(resumes.record(run.id(), "ghost", RunResume.Outcome.RESUMED, body, NOW)).isFalse();
            assertThat(resumes.record(UUID.randomUUID(), "approval", RunResume.Outcome.RESUMED, body, NOW)).isFalse();
            assertThat(resumes.find(run.id(), "approval")).isEmpty();

            assertThat(resumes.record(run.id(), "approval", RunResume.Outcome.RESUMED, body, NOW)).isTrue();
            assertThat(resumes.record(run.id(), "approval", RunResume.Outcome.TIMED_OUT, null, NOW.plusSeconds(1)))
                    .as("the first end is the only one").isFalse();
            assertThat(resumes.record(run.id(), "approval", RunResume.Outcome.RESUMED, JsonValue.EMPTY_JSON_OBJECT,
                    NOW.plusSeconds(2))).isFalse();
            assertThat(resumes.find(run.id(), "approval"))
                    .contains(new RunResume("approval", RunResume.Outcome.RESUMED, body, NOW));

            assertThat(resumes.record(run.id(), "second", RunResume.Outcome.TIMED_OUT, null, NOW)).isTrue();
            assertThat(resumes.find(run.id(), "second"))
                    .contains(new RunResume("second", RunResume.Outcome.TIMED_OUT, null, NOW));

            WorkflowRun other = insert(workflow, NOW);
            assertThat(runs.cancelRun(workspace.id(), other.id(), NOW)).isPresent();
            assertThat(resumes.record(other.id(), "approval", RunResume.Outcome.RESUMED, Json.createValue("late"),
                    NOW)).as("a finished run").isFalse();
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    @Test
    void aWaitingRunResumesWithTheSameAttemptAndARetryWithTheNext() throws Exception {
        Instant t = Instant.parse("2014-01-01T01:00:00Z");
        Workspace workspace = newWorkspace();
        try {
            Workflow workflow = newWorkflow(workspace);
            WorkflowRun run = insert(workflow, t.minus(Duration.ofHours(1)));
            Set<UUID> mine = Set.of(run.id());
            Duration lease = Duration.ofMinutes(1);
            assertThat(queue.claimOne(run.id(), "instance-a", t, lease)).isPresent();

            // a delay: back to the queue, no lease, due at its time
            Instant resumeAt = t.plus(Duration.ofMinutes(10));
            StepRecord a = step("a", 1, t);
            assertThat(queue.waitUntil(run.id(), "instance-a", List.of(a), resumeAt)).isTrue();
            WorkflowRun waiting = reread(run);
            assertThat(waiting.status()).isEqualTo(RunStatus.QUEUED);
            assertThat(waiting.nextAttemptAt()).isEqualTo(resumeAt);
            assertThat(waiting.leasedBy()).isNull();
            assertThat(waiting.leaseExpiresAt()).isNull();
            assertThat(waiting.attempt()).isEqualTo(1);
            assertThat(waiting.startedAt()).isEqualTo(t);
            assertThat(stepsOf(run.id())).containsExactly(a);
            assertThat(ofMine(queue.claim("instance-b", resumeAt.minusMillis(1), lease, 10), mine))
                    .as("not before its time").isEmpty();
            ClaimedRun resumed = ofMine(queue.claim("instance-b", resumeAt, lease, 10), mine).get(run.id());
            assertThat(resumed.resumed()).isTrue();
            assertThat(resumed.run().attempt()).as("the same attempt").isEqualTo(1);
            assertThat(resumed.run().startedAt()).isEqualTo(t);
            assertThat(resumed.run().leasedBy()).isEqualTo("instance-b");

            // a retry: the next attempt, the error kept, due at its time
            Instant retryAt = resumeAt.plus(Duration.ofMinutes(5));
            StepRecord failed = new StepRecord("b", RunStep.StepStatus.FAILED, 1, null, null, "HTTP 503",
                    resumeAt.plusSeconds(1), resumeAt.plusSeconds(2));
            assertThat(queue.retryAt(run.id(), "instance-b", List.of(failed), "HTTP 503", retryAt)).isTrue();
            WorkflowRun retrying = reread(run);
            assertThat(retrying.status()).isEqualTo(RunStatus.QUEUED);
            assertThat(retrying.attempt()).isEqualTo(2);
            assertThat(retrying.error()).isEqualTo("HTTP 503");
            assertThat(retrying.nextAttemptAt()).isEqualTo(retryAt);
            assertThat(retrying.leasedBy()).isNull();
            assertThat(stepsOf(run.id())).containsExactly(a, failed);
            assertThat(ofMine(queue.claim("instance-c", retryAt.minusMillis(1), lease, 10), mine)).isEmpty();
            ClaimedRun retried = ofMine(queue.claim("instance-c", retryAt, lease, 10), mine).get(run.id());
            assertThat(retried.resumed()).isTrue();
            assertThat(retried.run().attempt()).isEqualTo(2);
            assertThat(takeovers(run)).as("a delay and a retry are no takeovers").isZero();

            // retries exhausted: dead-lettered with its letter, in one statement
            Instant deadAt = retryAt.plusSeconds(5);
            StepRecord failedAgain = new StepRecord("b", RunStep.StepStatus.FAILED, 2, null, null, "HTTP 500",
                    retryAt.plusSeconds(1), retryAt.plusSeconds(2));
            assertThat(queue.deadLetter(run.id(), "instance-c", List.of(failedAgain), "HTTP 500", "b", deadAt))
                    .isTrue();
            WorkflowRun dead = reread(run);
            assertThat(dead.status()).isEqualTo(RunStatus.DEAD_LETTERED);
            assertThat(dead.error()).isEqualTo("HTTP 500");
            assertThat(dead.finishedAt()).isEqualTo(deadAt);
            assertThat(dead.leasedBy()).isNull();
            assertThat(dead.leaseExpiresAt()).isNull();
            assertThat(stepsOf(run.id())).containsExactly(a, failed, failedAgain);
            List<DeadLetter> letters = deadLetters.listDeadLetters(workspace.id(), null, 10);
            assertThat(letters).hasSize(1);
            DeadLetter letter = letters.get(0);
            assertThat(letter).isEqualTo(new DeadLetter(letter.id(), workspace.id(), workflow.id(), run.id(),
                    "HTTP 500", "b", 2, deadAt));
            assertThat(deadLetters.findDeadLetter(workspace.id(), letter.id())).hasValue(letter);
            assertThat(queue.deadLetter(run.id(), "instance-c", List.of(failedAgain), "again", "b", deadAt))
                    .as("the lease ended").isFalse();
            assertThat(deadLetters.listDeadLetters(workspace.id(), null, 10)).containsExactly(letter);
            assertThat(stepsOf(run.id())).hasSize(3);
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    @Test
    void aCancelRequestReachesTheOwnerWhichCancelsBetweenSteps() throws Exception {
        Instant t = Instant.parse("2014-06-01T01:00:00Z");
        Workspace workspace = newWorkspace();
        try {
            WorkflowRun run = insert(newWorkflow(workspace), t.minus(Duration.ofHours(1)));
            assertThat(queue.claimOne(run.id(), "instance-a", t, Duration.ofMinutes(1))).isPresent();
            StepRecord a = step("a", 1, t);
            assertThat(queue.checkpoint(run.id(), "instance-a", List.of(a), t.plusSeconds(60)))
                    .isEqualTo(LeaseState.HELD);
            assertThat(runs.cancelRun(workspace.id(), run.id(), t.plusSeconds(1)).orElseThrow().cancelRequested())
                    .isTrue();
            StepRecord b = step("b", 1, t.plusSeconds(2));
            assertThat(queue.checkpoint(run.id(), "instance-a", List.of(b), t.plusSeconds(90)))
                    .isEqualTo(LeaseState.CANCEL_REQUESTED);
            assertThat(reread(run).leaseExpiresAt()).as("still held").isEqualTo(t.plusSeconds(90));

            Instant canceledAt = t.plusSeconds(3);
            assertThat(queue.cancel(run.id(), "instance-a", List.of(), canceledAt)).isTrue();
            WorkflowRun canceled = reread(run);
            assertThat(canceled.status()).isEqualTo(RunStatus.CANCELED);
            assertThat(canceled.finishedAt()).isEqualTo(canceledAt);
            assertThat(canceled.leasedBy()).isNull();
            assertThat(canceled.leaseExpiresAt()).isNull();
            assertThat(stepsOf(run.id())).containsExactly(a, b);
            assertThat(queue.cancel(run.id(), "instance-a", List.of(), canceledAt)).isFalse();
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    @Test
    void aRunRefusedBeforeItsFirstStepIsCanceledAndAnswersItsUnit() throws Exception {
        Instant t = Instant.parse("2015-01-01T01:00:00Z");
        Instant period = Instant.parse("2015-01-01T00:00:00Z");
        Workspace workspace = newWorkspace();
        try {
            Workflow workflow = newWorkflow(workspace);
            Duration lease = Duration.ofMinutes(1);
            WorkflowRun paid = paidRun(workflow, period, t.minusSeconds(60));
            assertThat(queue.claimOne(paid.id(), "instance-a", t, lease)).isPresent();
            assertThat(queue.refuse(paid.id(), "instance-b", "workflow disabled", t.plusSeconds(1)))
                    .as("not its owner").isEmpty();
            assertThat(queue.refuse(paid.id(), "instance-a", "workflow disabled", t.plusSeconds(1)))
                    .hasValue(new TakenUnit(period, RunConsumption.OVERAGE));
            WorkflowRun refused = reread(paid);
            assertThat(refused.status()).isEqualTo(RunStatus.CANCELED);
            assertThat(refused.error()).isEqualTo("workflow disabled");
            assertThat(refused.finishedAt()).isEqualTo(t.plusSeconds(1));
            assertThat(refused.leasedBy()).isNull();
            assertThat(refused.leaseExpiresAt()).isNull();
            assertThat(queue.refuse(paid.id(), "instance-a", "workflow disabled", t.plusSeconds(2)))
                    .as("once").isEmpty();

            WorkflowRun free = insert(workflow, t.minusSeconds(60));
            assertThat(queue.claimOne(free.id(), "instance-a", t, lease)).isPresent();
            assertThat(queue.refuse(free.id(), "instance-a", "workflow deleted", t.plusSeconds(1)))
                    .as("no unit taken").isEmpty();
            assertThat(reread(free).status()).isEqualTo(RunStatus.CANCELED);

            WorkflowRun started = paidRun(workflow, period, t.minusSeconds(60));
            assertThat(queue.claimOne(started.id(), "instance-a", t, lease)).isPresent();
            assertThat(queue.checkpoint(started.id(), "instance-a", List.of(step("a", 1, t)), t.plusSeconds(60)))
                    .isEqualTo(LeaseState.HELD);
            assertThat(queue.refuse(started.id(), "instance-a", "workflow disabled", t.plusSeconds(1)))
                    .as("a step ran").isEmpty();
            WorkflowRun still = reread(started);
            assertThat(still.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(still.leasedBy()).isEqualTo("instance-a");
            assertThat(still.error()).isNull();
            assertThat(still.finishedAt()).isNull();
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    @Test
    void releasedRunsGoBackToTheQueueForAnyInstance() throws Exception {
        Instant t = Instant.parse("2016-01-01T01:00:00Z");
        Workspace workspace = newWorkspace();
        try {
            WorkflowRun run = insert(newWorkflow(workspace), t.minus(Duration.ofHours(1)));
            Set<UUID> mine = Set.of(run.id());
            assertThat(queue.claimOne(run.id(), "instance-a", t, Duration.ofMinutes(1))).isPresent();
            Instant stopping = t.plusSeconds(5);
            assertThat(queue.release("instance-b", List.of(run.id()), stopping)).as("not its owner").isZero();
            assertThat(queue.release("instance-a", List.of(run.id(), UUID.randomUUID()), stopping)).isEqualTo(1);
            WorkflowRun released = reread(run);
            assertThat(released.status()).isEqualTo(RunStatus.QUEUED);
            assertThat(released.nextAttemptAt()).isEqualTo(stopping);
            assertThat(released.leasedBy()).isNull();
            assertThat(released.leaseExpiresAt()).isNull();
            assertThat(released.attempt()).isEqualTo(1);
            assertThat(released.startedAt()).isEqualTo(t);
            assertThat(queue.release("instance-a", List.of(run.id()), stopping)).as("already released").isZero();

            ClaimedRun again = ofMine(queue.claim("instance-b", stopping, Duration.ofMinutes(1), 10), mine)
                    .get(run.id());
            assertThat(again.resumed()).isTrue();
            assertThat(again.run().attempt()).isEqualTo(1);
            assertThat(again.run().leasedBy()).isEqualTo("instance-b");
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    @Test
    void cancelingAQueuedRunThatAlreadyStartedKeepsItsUnit() throws Exception {
        Instant t = Instant.parse("2017-01-01T01:00:00Z");
        Instant period = Instant.parse("2017-01-01T00:00:00Z");
        Workspace workspace = newWorkspace();
        try {
            Workflow workflow = newWorkflow(workspace);
            WorkflowRun started = paidRun(workflow, period, t.minusSeconds(60));
            assertThat(queue.claimOne(started.id(), "instance-a", t, Duration.ofMinutes(1))).isPresent();
            assertThat(queue.waitUntil(started.id(), "instance-a", List.of(step("a", 1, t)), t.plus(Duration.ofHours(1))))
                    .isTrue();
            assertThat(runs.cancelQueuedRun(workspace.id(), started.id(), t.plusSeconds(10))).as("it ran").isEmpty();
            WorkflowRun canceled = reread(started);
            assertThat(canceled.status()).isEqualTo(RunStatus.CANCELED);
            assertThat(canceled.finishedAt()).isEqualTo(t.plusSeconds(10));

            WorkflowRun neverStarted = paidRun(workflow, period, t.minusSeconds(60));
            assertThat(runs.cancelQueuedRun(workspace.id(), neverStarted.id(), t.plusSeconds(10)))
                    .hasValue(new TakenUnit(period, RunConsumption.OVERAGE));
            assertThat(reread(neverStarted).status()).isEqualTo(RunStatus.CANCELED);
        } finally {
            workspaces.delete(workspace.id());
        }
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

            assertThatThrownBy(() -> schedules.claimDueSchedules(now, 10, Set.of()),
                    "outside a transaction the locks would be gone at once")
                    .isInstanceOf(EJBTransactionRequiredException.class);

            transaction.begin();
            try {
                List<Schedule> claimed = schedules.claimDueSchedules(now, 10, Set.of());
                assertThat(claimed).extracting(Schedule::workflowId).containsExactly(dueFirst.id(), dueSecond.id());
                assertThat(claimed.get(0)).isEqualTo(new Schedule(dueFirst.id(), workspace.id(), "0 * * * *", "UTC",
                        MissedFiringPolicy.RUN_ONCE, false, base, null));
                assertThat(schedules.claimDueSchedules(now, 1, Set.of()))
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

    @Test
    void twoOverlappingBulkRequeuesInOppositeOrdersNeitherDeadlockNorRequeueALetterTwice() throws Exception {
        User owner = newUser();
        users.markEmailVerified(owner.id(), NOW); // requeues start runs: a verified address only
        Workspace workspace = Fixtures.newWorkspace(workspaces, owner, NOW);
        try {
            Workflow workflow = newWorkflow(workspace);
            List<UUID> letters = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                letters.add(deadLetters.deadLetter(insert(workflow, NOW).id(), "boom", "a", NOW).id());
            }
            letters.sort(PG_UUID_ORDER);
            // A asks for 0..19 in id order, B for 19 down to 10, then 20..29: locked one by one in the order asked,
            // as before, each would hold a letter (and B perhaps the quota row) that the other waits for
            List<UUID> forA = letters.subList(0, 20);
            List<UUID> forB = new ArrayList<>(letters.subList(10, 20));
            Collections.reverse(forB);
            forB.addAll(letters.subList(20, 30));
            UUID stranger = UUID.randomUUID();
            List<Callable<List<DeadLetterRequeue>>> requeues = List.of(
                    () -> deadLetterService.requeueAll(workspace.id(), forA, owner.id()),
                    () -> deadLetterService.requeueAll(workspace.id(), append(forB, stranger), owner.id()));

            List<List<DeadLetterRequeue>> answers = concurrently(requeues);

            assertThat(answers.get(0)).extracting(DeadLetterRequeue::deadLetterId).as("in the order asked")
                    .containsExactlyElementsOf(forA);
            assertThat(answers.get(1)).extracting(DeadLetterRequeue::deadLetterId).containsExactlyElementsOf(
                    append(forB, stranger));
            List<DeadLetterRequeue> all = answers.stream().flatMap(List::stream).toList();
            List<UUID> requeued = all.stream().filter(r -> r.result() == DeadLetterRequeue.Result.REQUEUED)
                    .map(DeadLetterRequeue::deadLetterId).toList();
            assertThat(requeued).as("every letter once, by one of them").containsExactlyInAnyOrderElementsOf(letters);
            assertThat(all).filteredOn(r -> r.result() == DeadLetterRequeue.Result.NOT_FOUND)
                    .extracting(DeadLetterRequeue::deadLetterId).as("the overlap, gone for the one that waited")
                    .containsExactlyInAnyOrderElementsOf(append(letters.subList(10, 20), stranger));
            assertThat(all).filteredOn(r -> r.result() == DeadLetterRequeue.Result.REQUEUED)
                    .allSatisfy(r -> assertThat(r.run().trigger()).isEqualTo(RunTrigger.RETRY));
            assertThat(runs.listRuns(allRuns(workspace.id()))).filteredOn(r -> r.trigger() == RunTrigger.RETRY)
                    .hasSize(30);
            assertThat(deadLetters.listDeadLetters(workspace.id(), null, 50)).isEmpty();
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    @Test
    void aBulkRequeueReportsEachLetterItCouldNotRequeueAndKeepsIt() throws Exception {
        User owner = newUser();
        users.markEmailVerified(owner.id(), NOW); // requeues start runs: a verified address only
        Workspace workspace = Fixtures.newWorkspace(workspaces, owner, NOW);
        try {
            Workflow enabled = newWorkflow(workspace);
            Workflow disabled = newWorkflow(workspace, false, NOW);
            UUID ok = deadLetters.deadLetter(insert(enabled, NOW).id(), "boom", "a", NOW).id();
            UUID off = deadLetters.deadLetter(insert(disabled, NOW).id(), "boom", "a", NOW).id();
            UUID unknown = UUID.randomUUID();

            assertThat(deadLetterService.requeueAll(workspace.id(), List.of(off, unknown, ok, off), owner.id()))
                    .extracting(DeadLetterRequeue::deadLetterId, DeadLetterRequeue::result)
                    .containsExactly(tuple(off, DeadLetterRequeue.Result.WORKFLOW_DISABLED),
                            tuple(unknown, DeadLetterRequeue.Result.NOT_FOUND),
                            tuple(ok, DeadLetterRequeue.Result.REQUEUED));
            assertThat(deadLetters.listDeadLetters(workspace.id(), null, 10)).extracting(DeadLetter::id)
                    .as("the refused one stays").containsExactly(off);
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    private static List<UUID> append(List<UUID> ids, UUID id) {
        List<UUID> all = new ArrayList<>(ids);
        all.add(id);
        return all;
    }

    @Test
    void aScheduleThatFailsToFireRollsBackAloneAndTheOthersFire() throws Exception {
        // due long ago, so due now for ScheduleFiring's real clock; the workspace goes at the end, or the broken
        // schedule would stay due for every later poll
        Instant base = Instant.parse("2003-01-01T00:00:00Z");
        Workspace workspace = newWorkspace();
        try {
            Workflow first = scheduled(workspace, true, false, base);
            Workflow broken = scheduled(workspace, true, false, base.plusSeconds(1));
            Workflow last = scheduled(workspace, true, false, base.plusSeconds(2));
            // fired between the two good ones, in the old single batch it rolled both back
            assertThat(Sql.update("UPDATE workflow_schedules SET cron = 'not a cron' WHERE workflow_id = ?",
                    broken.id())).isEqualTo(1);
            Instant before = Instant.now();

            assertThat(firing.fireDue()).as("claimed: fired or failed").isGreaterThanOrEqualTo(3);

            List<WorkflowRun> made = runs.listRuns(allRuns(workspace.id()));
            assertThat(made).extracting(WorkflowRun::workflowId, WorkflowRun::trigger)
                    .containsExactlyInAnyOrder(tuple(first.id(), RunTrigger.SCHEDULE), tuple(last.id(), RunTrigger.SCHEDULE));
            for (Workflow fired : List.of(first, last)) {
                Schedule schedule = schedules.findSchedule(workspace.id(), fired.id()).orElseThrow();
                assertThat(schedule.nextRunAt()).as("advanced past now").isAfter(before);
                assertThat(schedule.lastError()).isNull();
            }
            Schedule failed = schedules.findSchedule(workspace.id(), broken.id()).orElseThrow();
            assertThat(failed.nextRunAt()).as("still due: retried at the next poll").isEqualTo(base.plusSeconds(1));
            assertThat(failed.lastFiredAt()).isNull();
            assertThat(failed.lastError()).contains("failed on the server");
            assertThat(failed.lastErrorAt()).isAfterOrEqualTo(before.truncatedTo(ChronoUnit.MICROS));

            assertThat(firing.fireDue()).as("the next poll tries the broken one again, only it").isGreaterThanOrEqualTo(1);
            assertThat(runs.listRuns(allRuns(workspace.id()))).hasSize(2);
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
        Callable<List<UUID>> claim = () -> inTransaction(() -> schedules.claimDueSchedules(now, 50, Set.of()).stream()
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
                        List<Schedule> batch = schedules.claimDueSchedules(now, 5, Set.of());
                        for (Schedule schedule : batch) {
                            NewRun run = new NewRun(schedule.workspaceId(), schedule.workflowId(), 1,
                                    RunTrigger.SCHEDULE, Json.createObjectBuilder().build(), null,
                                    schedule.nextRunAt(), null, null, null, null, null, null);
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
        assertThat(hooks.findTargetByPublicId(publicId).orElseThrow().webhook()).isEqualTo(saved);
        assertThat(hooks.findTargetByPublicId(publicId).orElseThrow().workflow())
                .as("the workflow is read with its webhook").isEqualTo(workflows.find(workspace.id(), workflow.id()).orElseThrow());
        assertThat(hooks.findTargetByPublicId("wh_" + UUID.randomUUID())).isEmpty();
        assertThat(hooks.findWebhook(workspace.id(), UUID.randomUUID())).isEmpty();

        Instant rotatedAt = NOW.plusSeconds(60);
        WebhookTrigger rotated = hooks.saveWebhook(workspace.id(), workflow.id(), publicId, "k2:sealed-2", rotatedAt);
        assertThat(rotated).isEqualTo(new WebhookTrigger(workflow.id(), workspace.id(), publicId, "k2:sealed-2",
                rotatedAt));
        String newId = "wh_" + UUID.randomUUID();
        WebhookTrigger moved = hooks.saveWebhook(workspace.id(), workflow.id(), newId, "k2:sealed-3", rotatedAt);
        assertThat(hooks.findTargetByPublicId(newId).orElseThrow().webhook()).isEqualTo(moved);
        assertThat(hooks.findTargetByPublicId(publicId)).as("the old URL stops working").isEmpty();

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
                WebhookDelivery.Outcome.ACCEPTED, run.id(), 512, 1));
        List<WebhookDelivery> expected = new ArrayList<>(List.of(accepted));
        expected.add(deliveries.recordDelivery(workflow.id(), "dlv-a", WebhookDelivery.Outcome.DUPLICATE, null, 512,
                NOW.plusSeconds(2)));
        WebhookDelivery tally = deliveries.recordRefusals(workflow.id(), WebhookDelivery.Outcome.REJECTED_SIGNATURE,
                "forged-9", 0, 250, NOW.plusSeconds(2)).orElseThrow();
        assertThat(deliveries.recordRefusals(UUID.randomUUID(), WebhookDelivery.Outcome.REJECTED_SIGNATURE, null, 0,
                1, NOW)).as("no such workflow (deleted meanwhile): nothing written").isEmpty();
        assertThat(tally).isEqualTo(new WebhookDelivery(tally.id(), workflow.id(), "forged-9", NOW.plusSeconds(2),
                WebhookDelivery.Outcome.REJECTED_SIGNATURE, null, 0, 250));
        expected.add(tally);
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

    @Test
    void aRunsIdNamesItsPeriodsPartitionAndItsOnceKeysHoldAcrossPartitions() throws Exception {
        Workflow workflow = newWorkflow(newWorkspace());
        RunPartition early = RunPartition.Interval.DAY.of(NOW.minus(Duration.ofDays(800)));
        RunPartition late = RunPartition.Interval.DAY.of(NOW.minus(Duration.ofDays(799)));
        assertThat(partitions.create(early)).isEqualTo("created");
        assertThat(partitions.create(early)).isEqualTo("exists");
        assertThat(partitions.create(late)).isEqualTo("created");
        assertThat(partitions.list()).contains(early, late);

        Instant at = early.from().plusSeconds(5);
        WorkflowRun first = runs.insertRun(keyedRun(workflow, "across", null, null), at).orElseThrow();
        assertThat(RunIds.madeAt(first.id())).isEqualTo(at);
        assertThat(Sql.column("SELECT tableoid::regclass::text FROM workflow_runs WHERE id = ?", first.id()))
                .containsExactly("workflow_runs_" + early.suffix());
        Instant later = late.from().plusSeconds(5);
        assertThat(runs.insertRun(keyedRun(workflow, "across", null, null), later))
                .as("the key is taken, in another partition").isEmpty();
        runs.insertRun(signedRun(workflow, "delivery-across", "request-across"), at).orElseThrow();
        assertThat(runs.insertRun(signedRun(workflow, null, "request-across"), later)).isEmpty();
        assertThat(runs.insertRun(signedRun(workflow, "delivery-across", "request-other"), later)).isEmpty();
        assertThat(runs.insertRun(keyedRun(workflow, "across-2", null, null), later)).as("another key").isPresent();
        assertThat(Sql.column("SELECT count(*) FROM workflow_runs_" + late.suffix())).containsExactly("1");
    }

    @Test
    void retentionDropsAWholePeriodOnceAllItsRunsEndedWithTheirStepsAndLinks() throws Exception {
        Workflow workflow = newWorkflow(newWorkspace());
        RunPartition day = RunPartition.Interval.DAY.of(NOW.minus(Duration.ofDays(700)));
        assertThat(partitions.create(day)).isEqualTo("created");
        WorkflowRun old = insert(workflow, day.from().plusSeconds(60));
        WorkflowRun recent = insert(workflow, NOW);
        runs.recordStep(old.id(), "a", RunStep.StepStatus.SUCCEEDED, 1, null, null, old.queuedAt(), old.queuedAt());
        deliveries.recordDelivery(workflow.id(), "to-old", WebhookDelivery.Outcome.ACCEPTED, old.id(), 10, NOW);

        assertThat(partitions.drop(day)).as("a queued run keeps its period").isEqualTo("unfinished");
        Sql.update("UPDATE workflow_runs SET status = 'SUCCEEDED', finished_at = queued_at WHERE id = ?", old.id());
        assertThat(partitions.drop(day)).isEqualTo("detached");
        assertThat(partitions.list()).as("detached, not yet dropped").contains(day);
        assertThat(partitions.dropDetached(day)).isEqualTo("dropped");

        assertThat(partitions.list()).doesNotContain(day);
        assertThat(Sql.column("SELECT to_regclass('workflow_run_steps_" + day.suffix() + "')::text"))
                .containsOnlyNulls();
        assertThat(runs.findRun(workflow.workspaceId(), old.id())).isEmpty();
        assertThat(runs.listSteps(old.id())).isEmpty();
        assertThat(runs.findRun(workflow.workspaceId(), recent.id())).isPresent();
        assertThat(deliveries.listDeliveries(workflow.id(), null, 10)).singleElement()
                .satisfies(d -> assertThat(d.runId()).as("the delivery keeps its row, not the link").isNull());
        assertThat(partitions.drop(day)).isEqualTo("missing");
    }

    @Test
    void deletingARunDeletesWhatHangsOffItAsTheForeignKeysDid() throws Exception {
        Workflow workflow = newWorkflow(newWorkspace());
        WorkflowRun run = insert(workflow, NOW);
        runs.recordStep(run.id(), "a", RunStep.StepStatus.FAILED, 1, null, "boom", NOW, NOW);
        deadLetters.deadLetter(run.id(), "gave up", "a", NOW);
        deliveries.recordDelivery(workflow.id(), "to-deleted", WebhookDelivery.Outcome.ACCEPTED, run.id(), 10, NOW);

        Sql.update("DELETE FROM workflow_runs WHERE id = ?", run.id());

        assertThat(runs.listSteps(run.id())).isEmpty();
        assertThat(Sql.column("SELECT count(*) FROM dead_letters WHERE run_id = ?", run.id())).containsExactly("0");
        assertThat(deliveries.listDeliveries(workflow.id(), null, 10)).singleElement()
                .satisfies(d -> assertThat(d.runId()).isNull());
    }

    @Test
    void onceKeysLiveInTheirOwnTableARefusedRunGivesBackWhatItTookAndADroppedPeriodsKeysAreTakenOverThenPruned()
            throws Exception {
        Workflow workflow = newWorkflow(newWorkspace());
        runs.insertRun(signedRun(workflow, "own-d1", "own-r1"), NOW).orElseThrow();
        assertThat(runs.insertRun(signedRun(workflow, "own-d2", "own-r1"), NOW)).isEmpty();
        assertThat(runs.insertRun(signedRun(workflow, "own-d2", "own-r2"), NOW))
                .as("the refused run's delivery key was given back").isPresent();

        RunPartition day = RunPartition.Interval.DAY.of(NOW.minus(Duration.ofDays(600)));
        assertThat(partitions.create(day)).isEqualTo("created");
        runs.insertRun(keyedRun(workflow, "dropped-key", null, null), day.from().plusSeconds(60)).orElseThrow();
        runs.insertRun(signedRun(workflow, "dropped-d", "dropped-r"), day.from().plusSeconds(61)).orElseThrow();
        Sql.update("UPDATE workflow_runs SET status = 'SUCCEEDED', finished_at = queued_at"
                + " WHERE workflow_id = ? AND queued_at < ?", workflow.id(), java.sql.Timestamp.from(NOW));
        assertThat(partitions.drop(day)).isEqualTo("detached");
        assertThat(partitions.dropDetached(day)).isEqualTo("dropped");

        // the key of a run that is gone is free again, as a unique index's entry was
        WorkflowRun again = runs.insertRun(keyedRun(workflow, "dropped-key", null, null), NOW).orElseThrow();
        assertThat(Sql.column("SELECT run_id::text FROM run_once_keys WHERE once_key = 'dropped-key'"))
                .containsExactly(again.id().toString());
        assertThat(runs.insertRun(keyedRun(workflow, "dropped-key", null, null), NOW)).isEmpty();
        assertThat(partitions.forgetKeys(day, 1)).isEqualTo(1);
        assertThat(partitions.forgetKeys(day, 10)).as("the delivery's and the request's keys").isEqualTo(1);
        assertThat(partitions.forgetKeys(day, 10)).isZero();
        assertThat(Sql.column("SELECT count(*) FROM run_once_keys WHERE run_id = ?", again.id())).containsExactly("1");
        Sql.update("DELETE FROM workflow_runs WHERE id = ?", again.id());
        assertThat(Sql.column("SELECT count(*) FROM run_once_keys WHERE run_id = ?", again.id()))
                .as("a deleted run's keys go with it").containsExactly("0");
    }

    @Test
    void theClaimsFloorIsTheOldestPeriodWithAnUnfinishedRunAndTheClaimStillTakesSuchARun() throws Exception {
        Workflow workflow = newWorkflow(newWorkspace(), true, NOW);
        RunPartition day = RunPartition.Interval.DAY.of(NOW.minus(Duration.ofDays(1000)));   // older than any other
        assertThat(partitions.create(day)).isEqualTo("created");
        String floor = "SELECT run_queue_floor(interval '1 hour')::text";
        WorkflowRun old = insert(workflow, day.from().plusSeconds(60));

        // (a run another test left unfinished in DEFAULT with an older id may lower it further)
        String bound = RunIds.floor(day.from()).toString();
        assertThat(Sql.column(floor)).singleElement().satisfies(f -> assertThat(f).isLessThanOrEqualTo(bound));
        assertThat(queue.claimOne(old.id(), "floor-a", NOW, Duration.ofMinutes(1))).isPresent();
        assertThat(Sql.column(floor)).as("a RUNNING run holds it too").singleElement()
                .satisfies(f -> assertThat(f).isLessThanOrEqualTo(bound));
        Sql.update("UPDATE workflow_runs SET status = 'SUCCEEDED', finished_at = ? WHERE id = ?",
                java.sql.Timestamp.from(NOW), old.id());
        assertThat(Sql.column(floor)).as("no longer the ended period's").singleElement()
                .satisfies(f -> assertThat(f).isNotEqualTo(bound));
    }
}
