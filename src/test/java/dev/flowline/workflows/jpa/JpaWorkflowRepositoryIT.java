package dev.flowline.workflows.jpa;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.FlowlineDataSource;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.runs.DeadLetter;
import dev.flowline.runs.NewRun;
import dev.flowline.runs.RunQuery;
import dev.flowline.runs.RunStatus;
import dev.flowline.runs.RunStep;
import dev.flowline.runs.TakenUnit;
import dev.flowline.runs.RunTrigger;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.testing.Deployments;
import dev.flowline.users.NewUser;
import dev.flowline.users.User;
import dev.flowline.users.UserRepository;
import dev.flowline.workflows.MissedFiringPolicy;
import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.Schedule;
import dev.flowline.workflows.WebhookDelivery;
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
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.Node;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.jdbc.PreferQueryMode;

import javax.naming.InitialContext;
import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Persistence tests of {@link JpaWorkflowRepository} inside Payara Micro on the real PostgreSQL: every method, every
 * native statement, idempotent run inserts and the scheduler's claim with real threads (each repository call its own
 * transaction unless a test begins one). Runs in the container, so it asserts with JUnit only.
 *
 * <p>The product's scheduler is switched off in this archive: it would fire, with the real clock, the schedules that
 * these tests make due in the past and claim themselves. Tests that make schedules due delete their workspace when
 * done, so no other test class finds them due.
 */
@ExtendWith(ArquillianExtension.class)
class JpaWorkflowRepositoryIT {

    // microsecond precision: what timestamptz keeps
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

    /** PostgreSQL orders uuid by unsigned bytes, as their lowercase text sorts (UUID.compareTo is signed). */
    private static final Comparator<UUID> PG_UUID_ORDER = Comparator.comparing(UUID::toString);
    private static final Comparator<WorkflowRun> NEWEST_RUN_FIRST = Comparator.comparing(WorkflowRun::queuedAt)
            .thenComparing(WorkflowRun::id, PG_UUID_ORDER).reversed();

    private static final String CONFIG = "/WEB-INF/classes/META-INF/microprofile-config.properties";
    private static final RetryPolicy RETRY = new RetryPolicy(5, RetryPolicy.Backoff.FIXED, 30, 300);

    @Deployment
    static WebArchive deployment() throws IOException {
        WebArchive war = Deployments.product().addClass(JpaWorkflowRepositoryIT.class);
        Node config = Objects.requireNonNull(war.get(CONFIG), CONFIG + " is not in the product WAR");
        String properties;
        try (InputStream in = config.getAsset().openStream()) {
            properties = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        war.delete(CONFIG);
        return war.add(new StringAsset(properties + "\nflowline.scheduler.enabled=false\n"), CONFIG);
    }

    @Inject
    WorkflowRepository workflows;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    UserRepository users;

    @Resource
    UserTransaction transaction;

    // --- fixtures ---

    private User newUser() {
        String email = "wf-" + UUID.randomUUID() + "@example.com";
        return users.create(new NewUser(email, "Name of " + email, "PBKDF2WithHmacSHA256:600000:c2FsdA==:aGFzaA=="), NOW)
                .orElseThrow();
    }

    private Workspace newWorkspace() {
        return workspaces.create("Team " + UUID.randomUUID().toString().substring(0, 8), false, PlanTier.WORKSPACE,
                newUser().id(), NOW);
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
        return workflows.insertRun(manualRun(workflow), at).orElseThrow();
    }

    private static RunQuery allRuns(UUID workspaceId) {
        return new RunQuery(workspaceId, null, Set.of(), null, null, null, 100);
    }

    /** Sets columns that only the engine writes (status, attempt, ...), straight in the table. */
    private static int sql(String statement, Object... parameters) throws Exception {
        DataSource dataSource = (DataSource) new InitialContext().lookup(FlowlineDataSource.JNDI_NAME);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement prepared = connection.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                prepared.setObject(i + 1, parameters[i]);
            }
            return prepared.executeUpdate();
        }
    }

    private static List<Object> row(String query, Object... parameters) throws Exception {
        DataSource dataSource = (DataSource) new InitialContext().lookup(FlowlineDataSource.JNDI_NAME);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement prepared = connection.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                prepared.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = prepared.executeQuery()) {
                assertTrue(result.next(), "no row for " + query);
                List<Object> values = new ArrayList<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    values.add(result.getObject(i));
                }
                return values;
            }
        }
    }

    /** The call fails (an EJB system exception, its transaction rolled back) for a cause that mentions {@code reason}. */
    private static void assertRefused(String reason, Executable call) {
        EJBException refused = assertThrows(EJBException.class, call);
        StringBuilder causes = new StringBuilder();
        for (Throwable cause = refused; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            causes.append(cause).append('\n');
        }
        assertTrue(causes.toString().contains(reason), "expected a cause mentioning " + reason + ":\n" + causes);
    }

    /** Runs the tasks on their own threads, released together. */
    private static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
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
            assertEquals(limit + 1, rows.size(), "limit + 1 rows");
            items.addAll(rows.subList(0, limit));
            position = keyOf.apply(rows.get(limit - 1));
        }
        assertEquals(expectedPages, pages, "pages");
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
        assertEquals(new Workflow(created.id(), workspace.id(), "Nightly report", "Mails the numbers", true,
                "trigger.schedule", 1, 3, RETRY, NOW, NOW, created.version()), created);
        assertEquals(created, workflows.find(workspace.id(), created.id()).orElseThrow());
        assertTrue(workflows.find(workspace.id(), UUID.randomUUID()).isEmpty());
        assertEquals(new WorkflowVersion(created.id(), 1, definition("fetch", "mail"), author.id(), NOW),
                workflows.findVersion(created.id(), 1).orElseThrow());
        assertTrue(workflows.findVersion(created.id(), 2).isEmpty());

        // no description, no author (nullable uuid), disabled, default retry policy
        Workflow bare = workflows.create(workspace.id(), new WorkflowSettings("Bare", null, false, 1,
                RetryPolicy.DEFAULT, definition(), "trigger.webhook"), null, NOW);
        assertEquals(bare, workflows.find(workspace.id(), bare.id()).orElseThrow());
        assertNull(bare.description());
        assertFalse(bare.enabled());
        assertEquals(RetryPolicy.DEFAULT, bare.retryPolicy());
        assertNull(workflows.findVersion(bare.id(), 1).orElseThrow().createdBy());
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
        assertEquals(expected.subList(0, 3), first, "limit + 1 rows");
        Workflow last = first.get(1);
        assertEquals(expected.subList(2, 4), workflows.list(workspace.id(), new Keyset(last.createdAt(), last.id()), 2));
        assertEquals(expected, workflows.list(workspace.id(), null, 50));
        assertEquals(List.of(), workflows.list(UUID.randomUUID(), null, 50));
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
        assertEquals(new Workflow(workflow.id(), workspace.id(), "Renamed", null, false, "trigger.webhook", 1, 7,
                exponential, NOW, t1, workflow.version() + 1), renamed);
        assertEquals(renamed, workflows.find(workspace.id(), workflow.id()).orElseThrow());
        assertTrue(workflows.findVersion(workflow.id(), 2).isEmpty());

        Instant t2 = NOW.plusSeconds(20);
        Workflow changed = workflows.update(workspace.id(), workflow.id(), settings("Changed", true, definition("a", "c")),
                renamed.version(), editor.id(), t2).orElseThrow();
        assertEquals(2, changed.currentVersion());
        assertEquals(renamed.version() + 1, changed.version());
        assertEquals(t2, changed.updatedAt());
        assertEquals(new WorkflowVersion(workflow.id(), 2, definition("a", "c"), editor.id(), t2),
                workflows.findVersion(workflow.id(), 2).orElseThrow());
        assertEquals(definition("a", "b"), workflows.findVersion(workflow.id(), 1).orElseThrow().definition(),
                "history is kept");

        assertTrue(workflows.update(workspace.id(), workflow.id(), settings("Stale", true, definition("x")),
                renamed.version(), editor.id(), t2).isEmpty(), "stale version");
        assertTrue(workflows.update(workspace.id(), UUID.randomUUID(), settings("Gone", true, definition("x")),
                changed.version(), editor.id(), t2).isEmpty(), "no such workflow");
        assertEquals(changed, workflows.find(workspace.id(), workflow.id()).orElseThrow());
        assertTrue(workflows.findVersion(workflow.id(), 3).isEmpty());
    }

    @Test
    void concurrentUpdatesAtOneVersionLetOneWin() throws Exception {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        List<Callable<Boolean>> updates = IntStream.range(0, 6)
                .<Callable<Boolean>>mapToObj(i -> () -> workflows.update(workspace.id(), workflow.id(),
                        settings("Edit " + i, true, definition("edit-" + i)), workflow.version(), null, NOW).isPresent())
                .toList();
        assertEquals(1, concurrently(updates).stream().filter(Boolean::booleanValue).count());
        Workflow stored = workflows.find(workspace.id(), workflow.id()).orElseThrow();
        assertEquals(workflow.version() + 1, stored.version());
        assertEquals(2, stored.currentVersion());
        assertEquals(List.of(2, 1), workflows.listVersions(workflow.id(), null, 10).stream()
                .map(WorkflowVersion::number).toList());
        String winner = stored.name().substring("Edit ".length());
        assertEquals(definition("edit-" + winner), workflows.findVersion(workflow.id(), 2).orElseThrow().definition());
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
        assertEquals(4, workflow.currentVersion());
        UUID id = workflow.id();

        Function<List<WorkflowVersion>, List<Integer>> numbers = versions -> versions.stream()
                .map(WorkflowVersion::number).toList();
        assertEquals(List.of(4, 3, 2), numbers.apply(workflows.listVersions(id, null, 2)), "limit + 1 rows");
        assertEquals(List.of(2, 1), numbers.apply(workflows.listVersions(id, 3, 2)));
        assertEquals(List.of(), workflows.listVersions(id, 1, 2));
        assertEquals(new WorkflowVersion(id, 3, definition("v3"), null, NOW.plusSeconds(3)),
                workflows.listVersions(id, 4, 0).get(0));
        assertEquals(List.of(), workflows.listVersions(UUID.randomUUID(), null, 2));

        Instant at = NOW.plusSeconds(60);
        assertTrue(workflows.restoreVersion(workspace.id(), id, 1, "trigger.manual", workflow.version() - 1, restorer.id(), at).isEmpty(),
                "stale");
        Workflow restored = workflows.restoreVersion(workspace.id(), id, 1, "trigger.manual", workflow.version(), restorer.id(), at)
                .orElseThrow();
        assertEquals(5, restored.currentVersion());
        assertEquals(workflow.version() + 1, restored.version());
        assertEquals(at, restored.updatedAt());
        assertEquals(restored, workflows.find(workspace.id(), id).orElseThrow());
        assertEquals(new WorkflowVersion(id, 5, definition("v1"), restorer.id(), at),
                workflows.findVersion(id, 5).orElseThrow());
        assertEquals(new WorkflowVersion(id, 1, definition("v1"), null, NOW), workflows.findVersion(id, 1).orElseThrow(),
                "history is never rewritten");

        assertTrue(workflows.restoreVersion(workspace.id(), id, 9, "trigger.manual", null, restorer.id(), at).isEmpty(), "no version 9");
        assertTrue(workflows.restoreVersion(workspace.id(), UUID.randomUUID(), 1, "trigger.manual", null, null, at).isEmpty());
        Workflow again = workflows.restoreVersion(workspace.id(), id, 5, "trigger.manual", null, null, at).orElseThrow();
        assertEquals(6, again.currentVersion(), "the current version too is copied, with any expected version");
        assertEquals(definition("v1"), workflows.findVersion(id, 6).orElseThrow().definition());
        assertEquals(restored.version() + 1, again.version());
    }

    @Test
    void deletingAWorkflowRemovesEverythingHangingOffIt() throws Exception {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        Workflow sibling = newWorkflow(workspace);
        WorkflowRun run = insert(workflow, NOW);
        WorkflowRun siblingRun = insert(sibling, NOW);
        workflows.recordStep(run.id(), "a", RunStep.StepStatus.FAILED, 1, null, "boom", NOW, NOW);
        DeadLetter deadLetter = workflows.deadLetter(run.id(), "boom", "a", NOW);
        workflows.saveSchedule(new Schedule(workflow.id(), workspace.id(), "0 * * * *", "UTC",
                MissedFiringPolicy.RUN_ONCE, false, NOW.plus(Duration.ofDays(1)), null), NOW);
        String webhookId = "wh_" + UUID.randomUUID();
        workflows.saveWebhook(workspace.id(), workflow.id(), webhookId, "v1:secret", NOW);
        workflows.recordDelivery(workflow.id(), "d-1", WebhookDelivery.Outcome.ACCEPTED, run.id(), 10, NOW);

        assertTrue(workflows.delete(workspace.id(), workflow.id()));
        assertTrue(workflows.find(workspace.id(), workflow.id()).isEmpty());
        assertTrue(workflows.findVersion(workflow.id(), 1).isEmpty());
        assertTrue(workflows.findRun(workspace.id(), run.id()).isEmpty());
        assertEquals(List.of(), workflows.listSteps(run.id()));
        assertTrue(workflows.findDeadLetter(workspace.id(), deadLetter.id()).isEmpty());
        assertTrue(workflows.findSchedule(workspace.id(), workflow.id()).isEmpty());
        assertTrue(workflows.findWebhookByPublicId(webhookId).isEmpty());
        assertEquals(List.of(), workflows.listDeliveries(workflow.id(), null, 10));
        assertFalse(workflows.delete(workspace.id(), workflow.id()), "already gone");

        assertEquals(sibling, workflows.find(workspace.id(), sibling.id()).orElseThrow(), "the sibling stays");
        assertEquals(List.of(siblingRun), workflows.listRuns(allRuns(workspace.id())));
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
        WorkflowRun run = workflows.insertRun(rerun, at).orElseThrow();
        assertEquals(new WorkflowRun(run.id(), workspace.id(), workflow.id(), 1, RunStatus.QUEUED, RunTrigger.RERUN, input,
                null, null, 0, null, null, null, original.id(), false, at, null, null, at, null, null), run);
        assertEquals(run, workflows.findRun(workspace.id(), run.id()).orElseThrow());
        assertTrue(workflows.findRun(workspace.id(), UUID.randomUUID()).isEmpty());
        assertEquals(List.of(SqlTimestamps.of(NOW.minusSeconds(60)), "OVERAGE", requester.id()),
                row("SELECT quota_period_start, quota_kind, created_by FROM workflow_runs WHERE id = ?", run.id()),
                "the quota unit and the requester are recorded");

        WorkflowRun noInput = workflows.insertRun(new NewRun(workspace.id(), workflow.id(), 1, RunTrigger.MANUAL, null,
                null, null, null, null, null, null, null), at).orElseThrow();
        assertEquals(Json.createObjectBuilder().build(), noInput.input(), "input defaults to {}");
        assertNull(noInput.rerunOf());
        assertRefused("fk_workflow_runs_workflow_version", () -> workflows.insertRun(new NewRun(workspace.id(),
                workflow.id(), 2, RunTrigger.MANUAL, null, null, null, null, null, null, null, null), at));
    }

    @Test
    void aUniquenessKeyMakesOneRun() {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        Workflow other = newWorkflow(workspace);

        WorkflowRun keyed = workflows.insertRun(keyedRun(workflow, "key-1", null, null), NOW).orElseThrow();
        assertEquals("key-1", keyed.idempotencyKey());
        assertTrue(workflows.insertRun(keyedRun(workflow, "key-1", null, null), NOW.plusSeconds(1)).isEmpty());
        assertEquals(keyed, workflows.findRunByIdempotencyKey(workflow.id(), "key-1").orElseThrow());
        assertTrue(workflows.findRunByIdempotencyKey(workflow.id(), "key-2").isEmpty());
        assertTrue(workflows.findRunByIdempotencyKey(other.id(), "key-1").isEmpty());
        assertTrue(workflows.insertRun(keyedRun(other, "key-1", null, null), NOW).isPresent(), "per workflow");

        Instant firing = NOW.truncatedTo(ChronoUnit.HOURS);
        WorkflowRun scheduled = workflows.insertRun(keyedRun(workflow, null, firing, null), NOW).orElseThrow();
        assertEquals(RunTrigger.SCHEDULE, scheduled.trigger());
        assertEquals(firing, scheduled.scheduledFor());
        assertTrue(workflows.insertRun(keyedRun(workflow, null, firing, null), NOW).isEmpty());
        assertEquals(scheduled, workflows.findRunByScheduledFor(workflow.id(), firing).orElseThrow());
        assertTrue(workflows.findRunByScheduledFor(workflow.id(), firing.plusSeconds(3600)).isEmpty());
        assertTrue(workflows.insertRun(keyedRun(workflow, null, firing.plusSeconds(3600), null), NOW).isPresent());

        WorkflowRun delivered = workflows.insertRun(keyedRun(workflow, null, null, "dlv-1"), NOW).orElseThrow();
        assertEquals("dlv-1", delivered.webhookDeliveryId());
        assertTrue(workflows.insertRun(keyedRun(workflow, null, null, "dlv-1"), NOW).isEmpty());
        assertEquals(delivered, workflows.findRunByDeliveryId(workflow.id(), "dlv-1").orElseThrow());
        assertTrue(workflows.findRunByDeliveryId(workflow.id(), "dlv-2").isEmpty());
        assertTrue(workflows.insertRun(keyedRun(workflow, "dlv-1", null, null), NOW).isPresent(),
                "the three keys are separate");

        assertTrue(workflows.insertRun(manualRun(workflow), NOW).isPresent());
        assertTrue(workflows.insertRun(manualRun(workflow), NOW).isPresent(), "runs without a key never conflict");
        assertEquals(8, workflows.listRuns(allRuns(workspace.id())).size());
    }

    @Test
    void concurrentInsertsWithOneKeyMakeOneRun() throws Exception {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        Instant firing = NOW.truncatedTo(ChronoUnit.MINUTES);
        for (NewRun keyed : List.of(keyedRun(workflow, "same-key", null, null), keyedRun(workflow, null, firing, null),
                keyedRun(workflow, null, null, "same-delivery"))) {
            List<Callable<Optional<WorkflowRun>>> inserts = IntStream.range(0, 8)
                    .<Callable<Optional<WorkflowRun>>>mapToObj(i -> () -> workflows.insertRun(keyed, NOW))
                    .toList();
            List<WorkflowRun> inserted = concurrently(inserts).stream().flatMap(Optional::stream).toList();
            assertEquals(1, inserted.size(), "one of 8 concurrent inserts of " + keyed);
        }
        List<WorkflowRun> runs = workflows.listRuns(allRuns(workspace.id()));
        assertEquals(3, runs.size());
        assertTrue(workflows.findRunByIdempotencyKey(workflow.id(), "same-key").isPresent());
        assertTrue(workflows.findRunByScheduledFor(workflow.id(), firing).isPresent());
        assertTrue(workflows.findRunByDeliveryId(workflow.id(), "same-delivery").isPresent());
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
                workflows.cancelRun(workspace.id(), ids.get(i), NOW.plusSeconds(30)).orElseThrow();
            }
        }
        List<WorkflowRun> all = ids.stream().map(id -> workflows.findRun(workspace.id(), id).orElseThrow())
                .sorted(NEWEST_RUN_FIRST).toList();
        assertEquals(all, workflows.listRuns(allRuns(workspace.id())), "newest first, any status");

        Set<RunStatus> queued = Set.of(RunStatus.QUEUED);
        List<WorkflowRun> expectedQueued = all.stream().filter(run -> run.status() == RunStatus.QUEUED).toList();
        assertEquals(8, expectedQueued.size());
        assertEquals(expectedQueued, allPages(before -> workflows.listRuns(new RunQuery(workspace.id(), null, queued,
                null, null, before, 3)), 3, JpaWorkflowRepositoryIT::keyOf, 3), "queued, 3 per page");
        assertEquals(all, allPages(before -> workflows.listRuns(new RunQuery(workspace.id(), null,
                Set.of(RunStatus.QUEUED, RunStatus.CANCELED), null, null, before, 2)), 2,
                JpaWorkflowRepositoryIT::keyOf, 6), "two statuses: all of them");
        assertEquals(all.stream().filter(run -> run.status() == RunStatus.CANCELED).toList(),
                workflows.listRuns(new RunQuery(workspace.id(), null, Set.of(RunStatus.CANCELED), null, null, null, 10)));
        assertEquals(List.of(), workflows.listRuns(new RunQuery(workspace.id(), null, Set.of(RunStatus.RUNNING), null,
                null, null, 10)));

        List<WorkflowRun> ofFirstQueued = expectedQueued.stream().filter(run -> run.workflowId().equals(first.id()))
                .toList();
        assertEquals(ofFirstQueued, allPages(before -> workflows.listRuns(new RunQuery(workspace.id(), first.id(), queued,
                null, null, before, 2)), 2, JpaWorkflowRepositoryIT::keyOf, 3), "one workflow's queued runs");
        assertEquals(all.stream().filter(run -> run.workflowId().equals(second.id())).toList(),
                workflows.listRuns(new RunQuery(workspace.id(), second.id(), null, null, null, null, 10)));

        // queuedFrom inclusive, queuedBefore exclusive, combined with the keyset
        Instant from = NOW.plusSeconds(1);
        Instant to = NOW.plusSeconds(5);
        List<WorkflowRun> window = all.stream()
                .filter(run -> !run.queuedAt().isBefore(from) && run.queuedAt().isBefore(to)).toList();
        assertEquals(7, window.size());
        assertEquals(window, allPages(before -> workflows.listRuns(new RunQuery(workspace.id(), null, Set.of(), from, to,
                before, 3)), 3, JpaWorkflowRepositoryIT::keyOf, 3));
        assertEquals(all.stream().filter(run -> !run.queuedAt().isBefore(to)).toList(),
                workflows.listRuns(new RunQuery(workspace.id(), null, Set.of(), to, null, null, 10)));
        assertEquals(all.stream().filter(run -> run.queuedAt().isBefore(from)).toList(),
                workflows.listRuns(new RunQuery(workspace.id(), null, Set.of(), null, from, null, 10)));
        assertEquals(window.stream().filter(run -> run.status() == RunStatus.QUEUED
                        && run.workflowId().equals(first.id())).toList(),
                allPages(before -> workflows.listRuns(new RunQuery(workspace.id(), first.id(), queued, from, to, before,
                        1)), 1, JpaWorkflowRepositoryIT::keyOf, 3), "every filter at once");
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
            String plan = planOf(() -> workflows.listRuns(query));
            String explained = plan.substring(plan.indexOf('\n') + 1);
            assertTrue(explained.startsWith("Limit") && explained.contains("Index Scan using ix_workflow_runs_")
                    && !explained.contains("Sort"), query + "\n" + plan);
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
                assertTrue(sent.next(), "the listing's statement in pg_stat_activity");
                sql = sent.getString(1);
                assertTrue(sql.length() < Integer.parseInt(sent.getString(2)) - 1, "truncated: " + sql);
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
        WorkflowRun canceled = workflows.cancelRun(workspace.id(), queued.id(), at).orElseThrow();
        assertEquals(RunStatus.CANCELED, canceled.status());
        assertEquals(at, canceled.finishedAt());
        assertFalse(canceled.cancelRequested());
        assertEquals(canceled, workflows.cancelRun(workspace.id(), queued.id(), at.plusSeconds(1)).orElseThrow(),
                "a finished run is left alone");

        WorkflowRun running = insert(workflow, NOW);
        sql("UPDATE workflow_runs SET status = 'RUNNING', attempt = 1, started_at = ?, leased_by = 'node-1', "
                + "lease_expires_at = ? WHERE id = ?", SqlTimestamps.of(NOW), SqlTimestamps.of(at), running.id());
        WorkflowRun flagged = workflows.cancelRun(workspace.id(), running.id(), at).orElseThrow();
        assertEquals(new WorkflowRun(running.id(), workspace.id(), workflow.id(), 1, RunStatus.RUNNING,
                RunTrigger.MANUAL, running.input(), null, null, 1, null, null, null, null, true, NOW, NOW, null, NOW,
                "node-1", at), flagged);

        WorkflowRun succeeded = insert(workflow, NOW);
        sql("UPDATE workflow_runs SET status = 'SUCCEEDED', finished_at = ?, output = '{\"ok\":true}' WHERE id = ?",
                SqlTimestamps.of(NOW), succeeded.id());
        WorkflowRun done = workflows.cancelRun(workspace.id(), succeeded.id(), at).orElseThrow();
        assertEquals(RunStatus.SUCCEEDED, done.status());
        assertEquals(NOW, done.finishedAt());
        assertFalse(done.cancelRequested());
        assertEquals(Json.createObjectBuilder().add("ok", true).build(), done.output());

        assertTrue(workflows.cancelRun(workspace.id(), UUID.randomUUID(), at).isEmpty());
    }

    @Test
    void cancelingAQueuedRunAnswersItsQuotaUnitOnce() throws Exception {
        Workflow workflow = newWorkflow(newWorkspace());
        NewRun paid = new NewRun(workflow.workspaceId(), workflow.id(), workflow.currentVersion(), RunTrigger.MANUAL,
                Json.createObjectBuilder().build(), null, null, null, null, NOW, RunConsumption.OVERAGE, null);
        WorkflowRun run = workflows.insertRun(paid, NOW).orElseThrow();
        assertTrue(workflows.cancelQueuedRun(UUID.randomUUID(), run.id(), NOW).isEmpty(), "other workspace");
        assertEquals(Optional.of(new TakenUnit(NOW, RunConsumption.OVERAGE)),
                workflows.cancelQueuedRun(workflow.workspaceId(), run.id(), NOW));
        assertTrue(workflows.cancelQueuedRun(workflow.workspaceId(), run.id(), NOW).isEmpty(), "only once");
        assertEquals(RunStatus.CANCELED, workflows.findRun(workflow.workspaceId(), run.id()).orElseThrow().status());

        WorkflowRun running = insert(workflow, NOW);
        sql("UPDATE workflow_runs SET status = 'RUNNING' WHERE id = ?", running.id());
        assertTrue(workflows.cancelQueuedRun(workflow.workspaceId(), running.id(), NOW).isEmpty(), "not queued");
    }

    @Test
    void stepsAreListedInTheOrderTheyStarted() {
        Workspace workspace = newWorkspace();
        WorkflowRun run = insert(newWorkflow(workspace), NOW);
        WorkflowRun other = insert(newWorkflow(workspace), NOW);
        JsonObject output = Json.createObjectBuilder().add("status", 200).build();
        List<RunStep> expected = new ArrayList<>();
        expected.add(workflows.recordStep(run.id(), "http", RunStep.StepStatus.FAILED, 1, null, "timeout",
                NOW.plusSeconds(1), NOW.plusSeconds(2)));
        expected.add(workflows.recordStep(run.id(), "trigger", RunStep.StepStatus.SUCCEEDED, 1, output, null, NOW,
                NOW));
        expected.add(workflows.recordStep(run.id(), "http", RunStep.StepStatus.SUCCEEDED, 2, output, null,
                NOW.plusSeconds(5), NOW.plusSeconds(6)));
        expected.add(workflows.recordStep(run.id(), "branch", RunStep.StepStatus.SKIPPED, 2, null, null,
                NOW.plusSeconds(5), NOW.plusSeconds(5)));
        expected.add(workflows.recordStep(run.id(), "mail", RunStep.StepStatus.RUNNING, 2, null, null,
                NOW.plusSeconds(7), null));
        workflows.recordStep(other.id(), "trigger", RunStep.StepStatus.SUCCEEDED, 1, null, null, NOW, NOW);
        assertEquals(new RunStep(expected.get(0).id(), run.id(), "http", RunStep.StepStatus.FAILED, 1, null, "timeout",
                NOW.plusSeconds(1), NOW.plusSeconds(2)), expected.get(0));

        expected.sort(Comparator.comparing(RunStep::startedAt).thenComparing(RunStep::id, PG_UUID_ORDER));
        assertEquals(expected, workflows.listSteps(run.id()));
        assertEquals(List.of(), workflows.listSteps(UUID.randomUUID()));
    }

    // --- dead letters ---

    @Test
    void deadLetteringMovesTheRunAndFilesItsLetterTogether() throws Exception {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        WorkflowRun neverStarted = insert(workflow, NOW);
        Instant at = NOW.plusSeconds(30);

        DeadLetter letter = workflows.deadLetter(neverStarted.id(), "quota refused", null, at);
        assertEquals(new DeadLetter(letter.id(), workspace.id(), workflow.id(), neverStarted.id(), "quota refused", null,
                1, at), letter, "at least one attempt");
        WorkflowRun moved = workflows.findRun(workspace.id(), neverStarted.id()).orElseThrow();
        assertEquals(RunStatus.DEAD_LETTERED, moved.status());
        assertEquals(at, moved.finishedAt());
        assertEquals("quota refused", moved.error());

        WorkflowRun failed = insert(workflow, NOW);
        sql("UPDATE workflow_runs SET status = 'FAILED', attempt = 3 WHERE id = ?", failed.id());
        DeadLetter third = workflows.deadLetter(failed.id(), "HTTP 500", "http", at);
        assertEquals(new DeadLetter(third.id(), workspace.id(), workflow.id(), failed.id(), "HTTP 500", "http", 3, at),
                third);
        assertEquals(third, workflows.findDeadLetter(workspace.id(), third.id()).orElseThrow());

        // one transaction: the second letter for a run fails, and the run's new error is rolled back with it
        assertRefused("uk_dead_letters_run_id", () -> workflows.deadLetter(failed.id(), "again", "http",
                at.plusSeconds(1)));
        assertEquals("HTTP 500", workflows.findRun(workspace.id(), failed.id()).orElseThrow().error());
        assertEquals(at, workflows.findRun(workspace.id(), failed.id()).orElseThrow().finishedAt());
        assertRefused("No run", () -> workflows.deadLetter(UUID.randomUUID(), "no run", null, at));

        assertFalse(workflows.deleteDeadLetter(workspace.id(), UUID.randomUUID()));
        assertTrue(workflows.deleteDeadLetter(workspace.id(), letter.id()));
        assertFalse(workflows.deleteDeadLetter(workspace.id(), letter.id()), "already gone");
        assertTrue(workflows.findDeadLetter(workspace.id(), letter.id()).isEmpty());
        assertEquals(RunStatus.DEAD_LETTERED, workflows.findRun(workspace.id(), neverStarted.id()).orElseThrow().status(),
                "the run keeps its history");
    }

    @Test
    void aDeadLetterIsLockedOnlyInItsWorkspaceAndOnlyInATransaction() throws Exception {
        Workflow workflow = newWorkflow(newWorkspace());
        DeadLetter letter = workflows.deadLetter(insert(workflow, NOW).id(), "boom", "a", NOW);
        assertEquals(Optional.of(letter), inTransaction(() -> workflows.lockDeadLetter(workflow.workspaceId(), letter.id())));
        assertTrue(inTransaction(() -> workflows.lockDeadLetter(UUID.randomUUID(), letter.id())).isEmpty());
        // without the caller's transaction the lock would be released at once: refused (MANDATORY)
        assertThrows(jakarta.ejb.EJBTransactionRequiredException.class,
                () -> workflows.lockDeadLetter(workflow.workspaceId(), letter.id()));
    }

    @Test
    void deadLettersAreListedNewestFirstByKeyset() {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        Workspace elsewhere = newWorkspace();
        workflows.deadLetter(insert(newWorkflow(elsewhere), NOW).id(), "theirs", null, NOW.plusSeconds(2));
        List<DeadLetter> expected = new ArrayList<>();
        for (int second : new int[] {1, 2, 2, 3, 2}) {
            expected.add(workflows.deadLetter(insert(workflow, NOW).id(), "e" + second, null, NOW.plusSeconds(second)));
        }
        expected.sort(Comparator.comparing(DeadLetter::createdAt).thenComparing(DeadLetter::id, PG_UUID_ORDER)
                .reversed());
        assertEquals(expected, workflows.listDeadLetters(workspace.id(), null, 10));
        assertEquals(expected, allPages(before -> workflows.listDeadLetters(workspace.id(), before, 2), 2,
                letter -> new Keyset(letter.createdAt(), letter.id()), 3));
        assertEquals(List.of(), workflows.listDeadLetters(UUID.randomUUID(), null, 10));
    }

    // --- schedules ---

    @Test
    void aScheduleKeepsItsLastErrorUntilCleared() {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        workflows.saveSchedule(new Schedule(workflow.id(), workspace.id(), "0 * * * *", "UTC",
                MissedFiringPolicy.RUN_ONCE, false, NOW, null), NOW);
        workflows.recordScheduleError(workflow.id(), "quota used up", NOW);
        Schedule failed = workflows.findSchedule(workspace.id(), workflow.id()).orElseThrow();
        assertEquals("quota used up", failed.lastError());
        assertEquals(NOW, failed.lastErrorAt());
        workflows.advanceSchedule(workflow.id(), NOW.plusSeconds(3600), NOW);
        assertEquals("quota used up", workflows.findSchedule(workspace.id(), workflow.id()).orElseThrow().lastError());
        workflows.recordScheduleError(workflow.id(), null, null);
        Schedule cleared = workflows.findSchedule(workspace.id(), workflow.id()).orElseThrow();
        assertNull(cleared.lastError());
        assertNull(cleared.lastErrorAt());
    }

    @Test
    void aScheduleIsSavedReplacedAdvancedAndDeleted() {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        Instant next = NOW.plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);
        Schedule schedule = new Schedule(workflow.id(), workspace.id(), "0 9 * * 1-5", "Europe/Paris",
                MissedFiringPolicy.RUN_ALL, false, next, null);
        assertEquals(schedule, workflows.saveSchedule(schedule, NOW));
        assertEquals(schedule, workflows.findSchedule(workspace.id(), workflow.id()).orElseThrow());
        assertTrue(workflows.findSchedule(workspace.id(), UUID.randomUUID()).isEmpty());

        Instant firedAt = next.plusSeconds(1);
        workflows.advanceSchedule(workflow.id(), next.plus(Duration.ofDays(1)), firedAt);
        assertEquals(new Schedule(workflow.id(), workspace.id(), "0 9 * * 1-5", "Europe/Paris",
                MissedFiringPolicy.RUN_ALL, false, next.plus(Duration.ofDays(1)), firedAt),
                workflows.findSchedule(workspace.id(), workflow.id()).orElseThrow());

        // replacing keeps the firing history when the new settings carry none
        Schedule replaced = new Schedule(workflow.id(), workspace.id(), "*/5 * * * *", "UTC", MissedFiringPolicy.SKIP,
                true, null, null);
        assertEquals(new Schedule(workflow.id(), workspace.id(), "*/5 * * * *", "UTC", MissedFiringPolicy.SKIP, true,
                null, firedAt), workflows.saveSchedule(replaced, NOW.plusSeconds(5)));
        workflows.advanceSchedule(workflow.id(), next, null);
        assertEquals(new Schedule(workflow.id(), workspace.id(), "*/5 * * * *", "UTC", MissedFiringPolicy.SKIP, true,
                next, null), workflows.findSchedule(workspace.id(), workflow.id()).orElseThrow());
        workflows.advanceSchedule(UUID.randomUUID(), next, NOW); // no schedule: nothing happens

        assertRefused("No workflow", () -> workflows.saveSchedule(new Schedule(UUID.randomUUID(), workspace.id(),
                "0 * * * *", "UTC", MissedFiringPolicy.RUN_ONCE, false, next, null), NOW));
        assertFalse(workflows.deleteSchedule(workspace.id(), UUID.randomUUID()));
        assertTrue(workflows.deleteSchedule(workspace.id(), workflow.id()));
        assertFalse(workflows.deleteSchedule(workspace.id(), workflow.id()), "already gone");
        assertTrue(workflows.findSchedule(workspace.id(), workflow.id()).isEmpty());
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

            assertThrows(EJBTransactionRequiredException.class, () -> workflows.claimDueSchedules(now, 10),
                    "outside a transaction the locks would be gone at once");

            transaction.begin();
            try {
                List<Schedule> claimed = workflows.claimDueSchedules(now, 10);
                assertEquals(List.of(dueFirst.id(), dueSecond.id()), claimed.stream().map(Schedule::workflowId).toList());
                assertEquals(new Schedule(dueFirst.id(), workspace.id(), "0 * * * *", "UTC", MissedFiringPolicy.RUN_ONCE,
                        false, base, null), claimed.get(0));
                assertEquals(List.of(dueFirst.id()),
                        workflows.claimDueSchedules(now, 1).stream().map(Schedule::workflowId).toList(),
                        "the same transaction may claim its own locked rows again; the limit holds");
                assertEquals(List.of(), claimElsewhere(now), "another instance meanwhile skips the locked rows");
            } finally {
                transaction.rollback();
            }
            assertEquals(List.of(dueFirst.id(), dueSecond.id()), claimElsewhere(now), "released by the rollback");
        } finally {
            workspaces.delete(workspace.id());
        }
    }

    private Workflow scheduled(Workspace workspace, boolean enabled, boolean paused, Instant nextRunAt) {
        assertFalse(ConfigProvider.getConfig().getValue("flowline.scheduler.enabled", Boolean.class),
                "the product's scheduler would claim these schedules too");
        Workflow workflow = newWorkflow(workspace, enabled, NOW);
        workflows.saveSchedule(new Schedule(workflow.id(), workspace.id(), "0 * * * *", "UTC",
                MissedFiringPolicy.RUN_ONCE, paused, nextRunAt, null), NOW);
        return workflow;
    }

    /** Claims (and releases) due schedules in a transaction of another thread, as another instance would. */
    private List<UUID> claimElsewhere(Instant now) throws Exception {
        Callable<List<UUID>> claim = () -> inTransaction(() -> workflows.claimDueSchedules(now, 50).stream()
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
                        List<Schedule> batch = workflows.claimDueSchedules(now, 5);
                        for (Schedule schedule : batch) {
                            NewRun run = new NewRun(schedule.workspaceId(), schedule.workflowId(), 1,
                                    RunTrigger.SCHEDULE, Json.createObjectBuilder().build(), null,
                                    schedule.nextRunAt(), null, null, null, null, null);
                            workflows.insertRun(run, now).orElseThrow(() -> new AssertionError("fired twice: " + run));
                            workflows.advanceSchedule(schedule.workflowId(), schedule.nextRunAt().plus(Duration.ofHours(1)),
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

            assertEquals(20, claimed.size(), "claimed once each: " + claimed);
            assertEquals(firings.keySet(), new HashSet<>(claimed));
            assertTrue(batches >= 4, "batches of at most 5: " + batches);
            List<WorkflowRun> runs = workflows.listRuns(allRuns(workspace.id()));
            assertEquals(20, runs.size());
            assertEquals(firings, runs.stream().collect(Collectors.toMap(WorkflowRun::workflowId, WorkflowRun::scheduledFor)),
                    "one run per schedule, for its due time");
            assertTrue(runs.stream().allMatch(run -> run.trigger() == RunTrigger.SCHEDULE));
            for (Map.Entry<UUID, Instant> firing : firings.entrySet()) {
                Schedule schedule = workflows.findSchedule(workspace.id(), firing.getKey()).orElseThrow();
                assertEquals(firing.getValue().plus(Duration.ofHours(1)), schedule.nextRunAt());
                assertEquals(now, schedule.lastFiredAt());
            }
            assertEquals(List.of(), claimElsewhere(now), "nothing left due");
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
        WebhookTrigger saved = workflows.saveWebhook(workspace.id(), workflow.id(), publicId, "k1:sealed-1", NOW);
        assertEquals(new WebhookTrigger(workflow.id(), workspace.id(), publicId, "k1:sealed-1", NOW), saved);
        assertEquals(saved, workflows.findWebhook(workspace.id(), workflow.id()).orElseThrow());
        assertEquals(saved, workflows.findWebhookByPublicId(publicId).orElseThrow());
        assertTrue(workflows.findWebhookByPublicId("wh_" + UUID.randomUUID()).isEmpty());
        assertTrue(workflows.findWebhook(workspace.id(), UUID.randomUUID()).isEmpty());

        Instant rotatedAt = NOW.plusSeconds(60);
        WebhookTrigger rotated = workflows.saveWebhook(workspace.id(), workflow.id(), publicId, "k2:sealed-2", rotatedAt);
        assertEquals(new WebhookTrigger(workflow.id(), workspace.id(), publicId, "k2:sealed-2", rotatedAt), rotated);
        String newId = "wh_" + UUID.randomUUID();
        WebhookTrigger moved = workflows.saveWebhook(workspace.id(), workflow.id(), newId, "k2:sealed-3", rotatedAt);
        assertEquals(moved, workflows.findWebhookByPublicId(newId).orElseThrow());
        assertTrue(workflows.findWebhookByPublicId(publicId).isEmpty(), "the old URL stops working");

        Workflow other = newWorkflow(workspace);
        assertRefused("uk_workflow_webhooks_webhook_id",
                () -> workflows.saveWebhook(workspace.id(), other.id(), newId, "k:x", NOW));
        assertTrue(workflows.findWebhook(workspace.id(), other.id()).isEmpty());
        assertRefused("No workflow", () -> workflows.saveWebhook(workspace.id(), UUID.randomUUID(),
                "wh_" + UUID.randomUUID(), "k:x", NOW));
    }

    @Test
    void deliveriesAreRecordedAndListedNewestFirstByKeyset() {
        Workspace workspace = newWorkspace();
        Workflow workflow = newWorkflow(workspace);
        WorkflowRun run = workflows.insertRun(keyedRun(workflow, null, null, "dlv-a"), NOW).orElseThrow();
        WebhookDelivery accepted = workflows.recordDelivery(workflow.id(), "dlv-a", WebhookDelivery.Outcome.ACCEPTED,
                run.id(), 512, NOW.plusSeconds(1));
        assertEquals(new WebhookDelivery(accepted.id(), workflow.id(), "dlv-a", NOW.plusSeconds(1),
                WebhookDelivery.Outcome.ACCEPTED, run.id(), 512), accepted);
        List<WebhookDelivery> expected = new ArrayList<>(List.of(accepted));
        expected.add(workflows.recordDelivery(workflow.id(), "dlv-a", WebhookDelivery.Outcome.DUPLICATE, null, 512,
                NOW.plusSeconds(2)));
        expected.add(workflows.recordDelivery(workflow.id(), null, WebhookDelivery.Outcome.REJECTED_SIGNATURE, null, 0,
                NOW.plusSeconds(2)));
        expected.add(workflows.recordDelivery(workflow.id(), "dlv-b", WebhookDelivery.Outcome.REFUSED_QUOTA, null, 90,
                NOW.plusSeconds(3)));
        expected.add(workflows.recordDelivery(workflow.id(), "dlv-c", WebhookDelivery.Outcome.DISABLED, null, 1,
                NOW.plusSeconds(2)));
        workflows.recordDelivery(newWorkflow(workspace).id(), "dlv-a", WebhookDelivery.Outcome.ACCEPTED, null, 1, NOW);
        expected.sort(Comparator.comparing(WebhookDelivery::receivedAt).thenComparing(WebhookDelivery::id, PG_UUID_ORDER)
                .reversed());

        assertEquals(expected, workflows.listDeliveries(workflow.id(), null, 10));
        assertEquals(expected, allPages(before -> workflows.listDeliveries(workflow.id(), before, 2), 2,
                delivery -> new Keyset(delivery.receivedAt(), delivery.id()), 3));
        assertEquals(List.of(), workflows.listDeliveries(UUID.randomUUID(), null, 10));
    }

    // --- tenancy ---

    @Test
    void anotherWorkspaceFindsNothingOfAWorkflow() throws Exception {
        Workspace a = newWorkspace();
        Workspace b = newWorkspace();
        Workflow workflow = newWorkflow(a);
        WorkflowRun run = insert(workflow, NOW);
        WorkflowRun queued = insert(workflow, NOW);
        DeadLetter letter = workflows.deadLetter(run.id(), "boom", null, NOW);
        Schedule schedule = workflows.saveSchedule(new Schedule(workflow.id(), a.id(), "0 * * * *", "UTC",
                MissedFiringPolicy.RUN_ONCE, false, NOW.plus(Duration.ofDays(1)), null), NOW);
        WebhookTrigger webhook = workflows.saveWebhook(a.id(), workflow.id(), "wh_" + UUID.randomUUID(), "k:s", NOW);

        assertTrue(workflows.find(b.id(), workflow.id()).isEmpty());
        assertEquals(List.of(), workflows.list(b.id(), null, 10));
        assertTrue(workflows.update(b.id(), workflow.id(), settings("Taken", true, definition("x")), workflow.version(),
                null, NOW).isEmpty());
        assertTrue(workflows.restoreVersion(b.id(), workflow.id(), 1, "trigger.manual", null, null, NOW).isEmpty());
        assertFalse(workflows.delete(b.id(), workflow.id()));

        assertTrue(workflows.findRun(b.id(), run.id()).isEmpty());
        assertTrue(workflows.cancelRun(b.id(), queued.id(), NOW).isEmpty());
        assertEquals(List.of(), workflows.listRuns(allRuns(b.id())));
        assertEquals(List.of(), workflows.listRuns(new RunQuery(b.id(), workflow.id(), Set.of(), null, null, null, 10)));

        assertEquals(List.of(), workflows.listDeadLetters(b.id(), null, 10));
        assertTrue(workflows.findDeadLetter(b.id(), letter.id()).isEmpty());
        assertFalse(workflows.deleteDeadLetter(b.id(), letter.id()));

        assertTrue(workflows.findSchedule(b.id(), workflow.id()).isEmpty());
        assertFalse(workflows.deleteSchedule(b.id(), workflow.id()));
        assertRefused("No workflow", () -> workflows.saveSchedule(new Schedule(workflow.id(), b.id(), "* * * * *",
                "UTC", MissedFiringPolicy.RUN_ALL, false, NOW, null), NOW));

        assertTrue(workflows.findWebhook(b.id(), workflow.id()).isEmpty());
        assertRefused("No workflow", () -> workflows.saveWebhook(b.id(), workflow.id(), "wh_" + UUID.randomUUID(),
                "k:s", NOW));

        // all of it is still there, unchanged, for its own workspace
        assertEquals(workflow, workflows.find(a.id(), workflow.id()).orElseThrow());
        assertEquals(List.of(1), workflows.listVersions(workflow.id(), null, 10).stream()
                .map(WorkflowVersion::number).toList());
        assertEquals(queued, workflows.findRun(a.id(), queued.id()).orElseThrow());
        assertEquals(letter, workflows.findDeadLetter(a.id(), letter.id()).orElseThrow());
        assertEquals(schedule, workflows.findSchedule(a.id(), workflow.id()).orElseThrow());
        assertEquals(webhook, workflows.findWebhook(a.id(), workflow.id()).orElseThrow());
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
            sql("UPDATE workflow_runs SET status = 'SUCCEEDED', finished_at = queued_at WHERE id = ?", run.id());
        }
        workflows.recordStep(finished.id(), "a", RunStep.StepStatus.SUCCEEDED, 1, null, null, old, old);
        workflows.deadLetter(deadLettered.id(), "gave up", "a", old.plusSeconds(4));

        int deleted;
        do {
            deleted = workflows.pruneRuns(PlanTier.WORKSPACE, NOW.minus(Duration.ofDays(90)), 1);
        } while (deleted == 1);

        assertTrue(workflows.findRun(workflow.workspaceId(), finished.id()).isEmpty());
        assertTrue(workflows.findRun(workflow.workspaceId(), finishedToo.id()).isEmpty());
        assertTrue(workflows.listSteps(finished.id()).isEmpty());
        assertTrue(workflows.findRun(workflow.workspaceId(), queued.id()).isPresent(), "unfinished runs stay");
        assertTrue(workflows.findRun(workflow.workspaceId(), deadLettered.id()).isPresent(), "open dead letters stay");
        assertTrue(workflows.findRun(workflow.workspaceId(), recent.id()).isPresent(), "recent runs stay");
        // a SOLO pass with a cutoff of now does not touch this WORKSPACE-tier workspace's runs
        workflows.pruneRuns(PlanTier.SOLO, NOW, 100);
        assertTrue(workflows.findRun(workflow.workspaceId(), recent.id()).isPresent(), "other tiers untouched");
    }

    @Test
    void oldWebhookDeliveriesArePruned() {
        Workflow workflow = newWorkflow(newWorkspace());
        WebhookDelivery old = workflows.recordDelivery(workflow.id(), "old", WebhookDelivery.Outcome.ACCEPTED, null, 10,
                NOW.minus(Duration.ofDays(30)));
        WebhookDelivery fresh = workflows.recordDelivery(workflow.id(), "fresh", WebhookDelivery.Outcome.ACCEPTED, null, 10, NOW);
        while (workflows.pruneDeliveries(NOW.minus(Duration.ofDays(14)), 1) == 1) {
            // batches of one
        }
        List<UUID> left = workflows.listDeliveries(workflow.id(), null, 10).stream().map(WebhookDelivery::id).toList();
        assertEquals(List.of(fresh.id()), left);
        assertFalse(left.contains(old.id()));
    }
}
