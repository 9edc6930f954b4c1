package dev.flowline.workflows;

import dev.flowline.engine.ScheduleFiring;
import dev.flowline.platform.errors.FlowlineException;
import dev.flowline.runs.CreateWorkflowRunOutcome;
import dev.flowline.runs.CreateWorkflowRunOutcome.AlreadyExisted;
import dev.flowline.runs.CreateWorkflowRunOutcome.Created;
import dev.flowline.runs.CreateWorkflowRunOutcome.RefusedByQuota;
import dev.flowline.runs.DeadLetter;
import dev.flowline.runs.DeadLetterService;
import dev.flowline.runs.HookReceiver;
import dev.flowline.runs.NewRun;
import dev.flowline.runs.RunService;
import dev.flowline.runs.RunStatus;
import dev.flowline.runs.RunTrigger;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.MutableClock;
import dev.flowline.workflows.WorkflowErrors.WebhookRejectedException;
import dev.flowline.workflows.WorkflowErrors.WorkflowDisabledException;
import dev.flowline.workflows.WorkflowErrors.WorkflowNotFoundException;
import dev.flowline.workspaces.NeutralWorkspaceRepository;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.RunConsumption;
import dev.flowline.workspaces.StaticWorkspaceMembershipRepository;
import dev.flowline.workspaces.StaticWorkspaceMembershipRepository.QuotaState;
import dev.flowline.workspaces.WorkspaceErrors.NotAMemberException;
import dev.flowline.workspaces.WorkspaceErrors.RoleRequiredException;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.Node;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workflow, run, schedule, webhook and dead-letter services on {@link InMemoryWorkflowRepository} and
 * {@link StaticWorkspaceMembershipRepository}, with a {@link MutableClock}: tenancy and role gating, run quotas and
 * idempotency, schedule firing and webhook deliveries, decided without the database (in the container, JUnit
 * assertions only).
 *
 * <p>The product's scheduler and retention job are off in this archive: the scheduler would fire, on its own thread,
 * the schedules these tests make due by moving the clock.
 */
@ExtendWith(ArquillianExtension.class)
class WorkflowServicesIT {

    private static final String CONFIG = "/WEB-INF/classes/META-INF/microprofile-config.properties";
    private static final UUID WORKSPACE = UUID.randomUUID();
    private static final UUID USER = UUID.randomUUID();
    private static final String MANUAL = "trigger.manual";
    private static final String SCHEDULE = ScheduleService.TRIGGER;
    private static final String WEBHOOK = WebhookService.TRIGGER;
    private static final String HOURLY = "0 * * * *";

    @Deployment
    static WebArchive deployment() throws IOException {
        WebArchive war = Deployments.product().addClasses(WorkflowServicesIT.class, InMemoryWorkflowRepository.class,
                NeutralWorkspaceRepository.class, StaticWorkspaceMembershipRepository.class, MutableClock.class);
        Node config = Objects.requireNonNull(war.get(CONFIG), CONFIG + " is not in the product WAR");
        String properties;
        try (InputStream in = config.getAsset().openStream()) {
            properties = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        war.delete(CONFIG);
        return war.add(new StringAsset(properties
                + "\nflowline.scheduler.enabled=false\nflowline.retention.enabled=false\n"), CONFIG);
    }

    @Inject
    InMemoryWorkflowRepository repository;

    @Inject
    StaticWorkspaceMembershipRepository workspaces;

    @Inject
    MutableClock clock;

    @Inject
    WorkflowService workflows;

    @Inject
    RunService runs;

    @Inject
    ScheduleService schedules;

    @Inject
    WebhookService webhooks;

    @Inject
    DeadLetterService deadLetters;

    @Inject
    HookReceiver hooks;

    @Inject
    ScheduleFiring firing;

    @BeforeEach
    void reset() {
        assertFalse(ConfigProvider.getConfig().getValue("flowline.scheduler.enabled", Boolean.class),
                "the product's scheduler would fire these tests' schedules");
        repository.clear();
        workspaces.reset();
        workspaces.memberAs(WorkspaceRole.MEMBER);
    }

    // --- fixtures ---

    private static JsonObject definition(String trigger) {
        String json = "{\"nodes\":[{\"id\":\"start\",\"type\":\"" + trigger + "\",\"params\":{}}],\"edges\":[]}";
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private static WorkflowDraft draft(String name, String trigger, boolean enabled) {
        return new WorkflowDraft(name, null, enabled, 1, RetryPolicy.DEFAULT, definition(trigger));
    }

    private WorkflowView create(String trigger) {
        return create(trigger, true);
    }

    private WorkflowView create(String trigger, boolean enabled) {
        return workflows.create(WORKSPACE, USER, draft("Flow " + trigger, trigger, enabled));
    }

    private WorkflowRun started(UUID workflowId) {
        return assertInstanceOf(Created.class, runs.start(WORKSPACE, workflowId, USER, null, null)).run();
    }

    /** One of everything, made by a MEMBER: the rows that the gating tests call each entry point on. */
    private record Fixture(UUID workflowId, UUID runId, UUID scheduledId, UUID hookedId, UUID deadLetterId) {
    }

    private Fixture fixture() {
        UUID workflowId = create(MANUAL).workflow().id();
        UUID runId = started(workflowId).id();
        UUID scheduledId = create(SCHEDULE).workflow().id();
        schedules.put(WORKSPACE, scheduledId, USER, HOURLY, "UTC", MissedFiringPolicy.RUN_ONCE);
        UUID hookedId = create(WEBHOOK).workflow().id();
        DeadLetter letter = repository.deadLetter(started(workflowId).id(), "boom", "start", clock.instant());
        return new Fixture(workflowId, runId, scheduledId, hookedId, letter.id());
    }

    /** The workflow and run services' entry points that change something, each called on the fixture. */
    private Map<String, Executable> writes(Fixture f) {
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("WorkflowService.create", () -> workflows.create(WORKSPACE, USER, draft("New", MANUAL, true)));
        calls.put("WorkflowService.update", () -> workflows.update(WORKSPACE, f.workflowId(), USER,
                draft("Renamed", MANUAL, true), 1L));
        calls.put("WorkflowService.delete", () -> workflows.delete(WORKSPACE, f.workflowId(), USER));
        calls.put("WorkflowService.restore", () -> workflows.restore(WORKSPACE, f.workflowId(), 1, USER, null));
        calls.put("RunService.start", () -> runs.start(WORKSPACE, f.workflowId(), USER, null, "key"));
        calls.put("RunService.cancel", () -> runs.cancel(WORKSPACE, f.runId(), USER));
        calls.put("RunService.rerun", () -> runs.rerun(WORKSPACE, f.runId(), USER));
        calls.put("ScheduleService.put", () -> schedules.put(WORKSPACE, f.scheduledId(), USER, "*/5 * * * *", "UTC",
                MissedFiringPolicy.SKIP));
        calls.put("ScheduleService.delete", () -> schedules.delete(WORKSPACE, f.scheduledId(), USER));
        calls.put("ScheduleService.pause", () -> schedules.pause(WORKSPACE, f.scheduledId(), USER));
        calls.put("ScheduleService.resume", () -> schedules.resume(WORKSPACE, f.scheduledId(), USER));
        calls.put("WebhookService.rotate", () -> webhooks.rotate(WORKSPACE, f.hookedId(), USER));
        calls.put("DeadLetterService.requeue", () -> deadLetters.requeue(WORKSPACE, f.deadLetterId(), USER));
        calls.put("DeadLetterService.requeueAll", () -> deadLetters.requeueAll(WORKSPACE, List.of(f.deadLetterId()),
                USER));
        calls.put("DeadLetterService.discard", () -> deadLetters.discard(WORKSPACE, f.deadLetterId(), USER));
        return calls;
    }

    /** The entry points that only read. */
    private Map<String, Executable> reads(Fixture f) {
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("WorkflowService.list", () -> workflows.list(WORKSPACE, USER, null, null));
        calls.put("WorkflowService.get", () -> workflows.get(WORKSPACE, f.workflowId(), USER));
        calls.put("WorkflowService.versions", () -> workflows.versions(WORKSPACE, f.workflowId(), USER, null, null));
        calls.put("WorkflowService.version", () -> workflows.version(WORKSPACE, f.workflowId(), 1, USER));
        calls.put("RunService.list", () -> runs.list(WORKSPACE, null, USER, Set.of(), null, null, null, null));
        calls.put("RunService.get", () -> runs.get(WORKSPACE, f.runId(), USER));
        calls.put("ScheduleService.get", () -> schedules.get(WORKSPACE, f.scheduledId(), USER));
        calls.put("WebhookService.get", () -> webhooks.get(WORKSPACE, f.hookedId(), USER));
        calls.put("WebhookService.deliveries", () -> webhooks.deliveries(WORKSPACE, f.hookedId(), USER, null, null));
        calls.put("DeadLetterService.list", () -> deadLetters.list(WORKSPACE, USER, null, null));
        return calls;
    }

    private static void assertForbidden(Class<? extends FlowlineException> expected, Map<String, Executable> calls) {
        for (Map.Entry<String, Executable> call : calls.entrySet()) {
            FlowlineException refused = assertThrows(expected, call.getValue(), call.getKey());
            assertEquals(403, refused.status(), call.getKey());
        }
    }

    /** Moves the clock to the next hh:30:00 UTC at least 30 minutes ahead, so hourly firings fall at known times. */
    private Instant halfPastAnHour() {
        Instant now = clock.instant();
        Instant target = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(90));
        clock.advance(Duration.between(now, target));
        return target;
    }

    private List<Instant> firedFor(UUID workflowId) {
        return repository.allRuns().stream()
                .filter(run -> run.workflowId().equals(workflowId))
                .peek(run -> assertEquals(RunTrigger.SCHEDULE, run.trigger()))
                .map(WorkflowRun::scheduledFor)
                .toList();
    }

    private Schedule scheduleOf(UUID workflowId) {
        return schedules.get(WORKSPACE, workflowId, USER).schedule();
    }

    // --- gating ---

    @Test
    void nonMembersAreRefusedByEveryEntryPoint() {
        Fixture f = fixture();
        int runsBefore = repository.runs();
        int consumedBefore = workspaces.consumeCalls();
        workspaces.memberAs(null);

        Map<String, Executable> calls = new LinkedHashMap<>(reads(f));
        calls.putAll(writes(f));
        assertEquals(25, calls.size());
        assertForbidden(NotAMemberException.class, calls);
        // the same for rows that do not exist: a non-member learns nothing
        UUID unknown = UUID.randomUUID();
        assertForbidden(NotAMemberException.class, writes(new Fixture(unknown, unknown, unknown, unknown, unknown)));
        assertForbidden(NotAMemberException.class, reads(new Fixture(unknown, unknown, unknown, unknown, unknown)));

        assertEquals(runsBefore, repository.runs());
        assertEquals(consumedBefore, workspaces.consumeCalls(), "no quota unit taken");
        workspaces.memberAs(WorkspaceRole.VIEWER);
        assertEquals(1, workflows.get(WORKSPACE, f.workflowId(), USER).workflow().version(), "nothing changed");
        assertEquals(1, deadLetters.list(WORKSPACE, USER, null, null).items().size());
    }

    @Test
    void viewersReadButDoNotWrite() {
        Fixture f = fixture();
        int runsBefore = repository.runs();
        int consumedBefore = workspaces.consumeCalls();
        workspaces.memberAs(WorkspaceRole.VIEWER);

        for (Map.Entry<String, Executable> read : reads(f).entrySet()) {
            try {
                read.getValue().execute();
            } catch (Throwable e) {
                throw new AssertionError(read.getKey() + " refused a viewer", e);
            }
        }
        assertEquals(3, workflows.list(WORKSPACE, USER, null, null).items().size());
        assertEquals(MANUAL, workflows.get(WORKSPACE, f.workflowId(), USER).workflow().triggerType());
        assertEquals(2, runs.list(WORKSPACE, f.workflowId(), USER, Set.of(), null, null, null, null).items().size());
        assertEquals(f.runId(), runs.get(WORKSPACE, f.runId(), USER).run().id());
        assertEquals(HOURLY, scheduleOf(f.scheduledId()).cron());
        assertEquals(f.hookedId(), webhooks.get(WORKSPACE, f.hookedId(), USER).workflowId());
        assertEquals(List.of(f.deadLetterId()), deadLetters.list(WORKSPACE, USER, null, null).items().stream()
                .map(DeadLetter::id).toList());

        assertForbidden(RoleRequiredException.class, writes(f));
        assertEquals(runsBefore, repository.runs());
        assertEquals(consumedBefore, workspaces.consumeCalls(), "no quota unit taken");
        assertEquals(1, workflows.get(WORKSPACE, f.workflowId(), USER).workflow().version(), "nothing changed");
        assertEquals(RunStatus.QUEUED, runs.get(WORKSPACE, f.runId(), USER).run().status());
        assertFalse(scheduleOf(f.scheduledId()).paused());
        assertEquals(1, deadLetters.list(WORKSPACE, USER, null, null).items().size());
    }

    @Test
    void membersWrite() {
        Fixture f = fixture();

        WorkflowView updated = workflows.update(WORKSPACE, f.workflowId(), USER, draft("Renamed", MANUAL, true), 1L);
        assertEquals("Renamed", updated.workflow().name());
        assertEquals(2, updated.workflow().version());
        WorkflowView restored = workflows.restore(WORKSPACE, f.workflowId(), 1, USER, 2L);
        assertEquals(2, restored.workflow().currentVersion());
        assertEquals(List.of(2, 1), workflows.versions(WORKSPACE, f.workflowId(), USER, null, null).items().stream()
                .map(WorkflowVersion::number).toList());

        WorkflowRun canceled = runs.cancel(WORKSPACE, f.runId(), USER);
        assertEquals(RunStatus.CANCELED, canceled.status());
        WorkflowRun rerun = assertInstanceOf(Created.class, runs.rerun(WORKSPACE, f.runId(), USER)).run();
        assertEquals(RunTrigger.RERUN, rerun.trigger());
        assertEquals(f.runId(), rerun.rerunOf());

        ScheduleView paused = schedules.pause(WORKSPACE, f.scheduledId(), USER);
        assertTrue(paused.schedule().paused());
        assertEquals(List.of(), paused.nextFirings());
        assertFalse(schedules.resume(WORKSPACE, f.scheduledId(), USER).schedule().paused());
        assertEquals(MissedFiringPolicy.SKIP, schedules.put(WORKSPACE, f.scheduledId(), USER, "*/5 * * * *", "UTC",
                MissedFiringPolicy.SKIP).schedule().missedFiringPolicy());
        schedules.delete(WORKSPACE, f.scheduledId(), USER);
        assertTrue(repository.findSchedule(WORKSPACE, f.scheduledId()).isEmpty());

        String before = repository.findWebhook(WORKSPACE, f.hookedId()).orElseThrow().encryptedSecret();
        WebhookService.RotatedSecret rotated = webhooks.rotate(WORKSPACE, f.hookedId(), USER);
        assertTrue(rotated.secret().startsWith(WebhookSignature.SECRET_PREFIX));
        assertNotEquals(before, rotated.webhook().encryptedSecret());

        DeadLetter letter = repository.findDeadLetter(WORKSPACE, f.deadLetterId()).orElseThrow();
        WorkflowRun retry = assertInstanceOf(Created.class, deadLetters.requeue(WORKSPACE, f.deadLetterId(), USER)).run();
        assertEquals(RunTrigger.RETRY, retry.trigger());
        assertEquals(letter.runId(), retry.rerunOf());
        assertTrue(repository.findDeadLetter(WORKSPACE, f.deadLetterId()).isEmpty(), "requeued: the letter is gone");
        DeadLetter another = repository.deadLetter(retry.id(), "boom again", "start", clock.instant());
        deadLetters.discard(WORKSPACE, another.id(), USER);
        assertEquals(List.of(), deadLetters.list(WORKSPACE, USER, null, null).items());

        workflows.delete(WORKSPACE, f.workflowId(), USER);
        assertThrows(WorkflowNotFoundException.class, () -> workflows.get(WORKSPACE, f.workflowId(), USER));
        assertEquals(List.of(), runs.list(WORKSPACE, null, USER, Set.of(), null, null, null, null).items().stream()
                .filter(run -> run.workflowId().equals(f.workflowId())).toList(), "its runs went with it");
    }

    // --- quotas and idempotency ---

    @Test
    void atTheLimitASoloWorkspaceIsRefusedARun() {
        UUID workflowId = create(MANUAL).workflow().id();
        workspaces.plan(PlanTier.SOLO);
        workspaces.quota(QuotaState.AT_LIMIT);

        CreateWorkflowRunOutcome outcome = runs.start(WORKSPACE, workflowId, USER, null, null);
        assertEquals(1_000, assertInstanceOf(RefusedByQuota.class, outcome).allocation());
        assertEquals(0, repository.runs(), "no run stored");
        assertEquals(1, workspaces.consumeCalls());
        assertEquals(0, workspaces.releaseCalls(), "a refused unit is not given back");
    }

    @Test
    void withRunsRemainingARunIsCreatedOnTheUnitItTook() {
        UUID workflowId = create(MANUAL).workflow().id();
        JsonObject input = Json.createObjectBuilder().add("customer", "c-42").build();

        WorkflowRun run = assertInstanceOf(Created.class, runs.start(WORKSPACE, workflowId, USER, input, null)).run();
        assertEquals(RunStatus.QUEUED, run.status());
        assertEquals(RunTrigger.MANUAL, run.trigger());
        assertEquals(1, run.workflowVersion());
        assertEquals(input, run.input());
        assertEquals(1, repository.runs());
        assertEquals(1, workspaces.consumeCalls());
        assertEquals(0, workspaces.releaseCalls());
        NewRun inserted = repository.insertedAs(run.id()).orElseThrow();
        assertEquals(RunConsumption.WITHIN_ALLOCATION, inserted.quotaKind());
        assertEquals(USER, inserted.createdBy());
    }

    @Test
    void aRepeatedIdempotencyKeyAnswersTheSameRunWithoutASecondUnit() {
        UUID workflowId = create(MANUAL).workflow().id();
        WorkflowRun first = assertInstanceOf(Created.class, runs.start(WORKSPACE, workflowId, USER, null, "order-7"))
                .run();
        WorkflowRun again = assertInstanceOf(AlreadyExisted.class,
                runs.start(WORKSPACE, workflowId, USER, null, "order-7")).run();
        assertEquals(first, again);
        assertEquals(1, repository.runs());
        assertEquals(1, workspaces.consumeCalls(), "the repeat takes no unit");
        assertEquals(0, workspaces.releaseCalls());
    }

    @Test
    void aLostInsertRaceGivesTheUnitBack() {
        UUID workflowId = create(MANUAL).workflow().id();
        repository.loseNextInsertRace();

        WorkflowRun winner = assertInstanceOf(AlreadyExisted.class,
                runs.start(WORKSPACE, workflowId, USER, null, "order-8")).run();
        assertEquals("order-8", winner.idempotencyKey());
        assertEquals(1, repository.runs(), "only the concurrent request's run");
        assertEquals(1, workspaces.consumeCalls());
        assertEquals(1, workspaces.releaseCalls(), "the unit of the lost insert is given back");
    }

    // --- schedule firing ---

    @Test
    void aDueScheduleFiresOnceForItsTimeAndAdvances() {
        Instant start = halfPastAnHour();
        UUID workflowId = create(SCHEDULE).workflow().id();
        Instant next = schedules.put(WORKSPACE, workflowId, USER, HOURLY, "UTC", MissedFiringPolicy.RUN_ONCE)
                .schedule().nextRunAt();
        assertEquals(start.plus(Duration.ofMinutes(30)), next);
        assertEquals(0, firing.fireDueBatch(), "not due yet");

        clock.advance(Duration.ofMinutes(30));
        assertEquals(1, firing.fireDueBatch());
        assertEquals(List.of(next), firedFor(workflowId));
        WorkflowRun run = repository.allRuns().get(0);
        assertEquals(Json.createObjectBuilder().add("scheduledFor", next.toString()).build(), run.input());
        assertEquals(new Schedule(workflowId, WORKSPACE, HOURLY, "UTC", MissedFiringPolicy.RUN_ONCE, false,
                next.plus(Duration.ofHours(1)), next), scheduleOf(workflowId));

        assertEquals(0, firing.fireDueBatch(), "fired already");
        assertEquals(1, repository.runs());
        assertEquals(1, workspaces.consumeCalls());

        // claimed again for the same time (as by an instance that crashed before advancing it): no second run
        repository.makeDue(workflowId, next);
        assertEquals(1, firing.fireDueBatch());
        assertEquals(List.of(next), firedFor(workflowId));
        assertEquals(1, workspaces.consumeCalls(), "the earlier run is answered: no unit taken");
        assertEquals(next.plus(Duration.ofHours(1)), scheduleOf(workflowId).nextRunAt());
    }

    @Test
    void aFiringRefusedByTheQuotaIsShownOnTheScheduleUntilOneSucceeds() {
        Instant start = halfPastAnHour();
        UUID workflowId = create(SCHEDULE).workflow().id();
        schedules.put(WORKSPACE, workflowId, USER, HOURLY, "UTC", MissedFiringPolicy.RUN_ONCE);
        workspaces.plan(PlanTier.SOLO);
        workspaces.quota(QuotaState.AT_LIMIT);

        clock.advance(Duration.ofMinutes(30));
        assertEquals(1, firing.fireDueBatch());
        Schedule refused = scheduleOf(workflowId);
        assertEquals(List.of(), firedFor(workflowId));
        assertTrue(refused.lastError().contains("1000 runs"), refused.lastError());
        assertEquals(clock.instant(), refused.lastErrorAt());
        assertEquals(start.plus(Duration.ofMinutes(90)), refused.nextRunAt(), "the schedule moves on");

        workspaces.quota(QuotaState.REMAINING);
        clock.advance(Duration.ofHours(1));
        assertEquals(1, firing.fireDueBatch());
        assertEquals(1, firedFor(workflowId).size());
        assertNull(scheduleOf(workflowId).lastError(), "a successful firing clears the error");
    }

    @Test
    void firingsMissedForThreeHoursFollowEachSchedulesPolicy() {
        Instant start = halfPastAnHour();
        UUID once = create(SCHEDULE).workflow().id();
        UUID all = create(SCHEDULE).workflow().id();
        UUID skip = create(SCHEDULE).workflow().id();
        schedules.put(WORKSPACE, once, USER, HOURLY, "UTC", MissedFiringPolicy.RUN_ONCE);
        schedules.put(WORKSPACE, all, USER, HOURLY, "UTC", MissedFiringPolicy.RUN_ALL);
        schedules.put(WORKSPACE, skip, USER, HOURLY, "UTC", MissedFiringPolicy.SKIP);

        clock.advance(Duration.ofHours(3));
        Instant first = start.plus(Duration.ofMinutes(30));
        assertEquals(3, firing.fireDueBatch());

        assertEquals(List.of(first.plus(Duration.ofHours(2))), firedFor(once), "RUN_ONCE: the latest time");
        assertEquals(List.of(first, first.plus(Duration.ofHours(1)), first.plus(Duration.ofHours(2))), firedFor(all),
                "RUN_ALL: every time, oldest first");
        assertEquals(List.of(), firedFor(skip), "SKIP: nothing late");
        for (UUID workflowId : List.of(once, all, skip)) {
            assertEquals(first.plus(Duration.ofHours(3)), scheduleOf(workflowId).nextRunAt(), "the next hour");
        }
        assertEquals(4, workspaces.consumeCalls());
        assertEquals(0, firing.fireDueBatch());
    }

    @Test
    void pausedSchedulesAndDisabledWorkflowsDoNotFire() {
        Instant start = halfPastAnHour();
        UUID paused = create(SCHEDULE).workflow().id();
        schedules.put(WORKSPACE, paused, USER, HOURLY, "UTC", MissedFiringPolicy.RUN_ALL);
        schedules.pause(WORKSPACE, paused, USER);
        UUID disabled = create(SCHEDULE, false).workflow().id();
        schedules.put(WORKSPACE, disabled, USER, HOURLY, "UTC", MissedFiringPolicy.RUN_ALL);

        clock.advance(Duration.ofHours(2));
        assertEquals(0, firing.fireDueBatch());
        assertEquals(0, repository.runs());
        assertEquals(0, workspaces.consumeCalls());

        // resuming starts from now: the firings missed while paused are not made up
        assertEquals(start.plus(Duration.ofMinutes(150)), schedules.resume(WORKSPACE, paused, USER).schedule()
                .nextRunAt());
        assertEquals(0, firing.fireDueBatch());
        clock.advance(Duration.ofMinutes(30));
        assertEquals(1, firing.fireDueBatch());
        assertEquals(List.of(start.plus(Duration.ofMinutes(150))), firedFor(paused));
        assertEquals(List.of(), firedFor(disabled));
    }

    // --- webhooks ---

    @Test
    void aSignedDeliveryStartsARunAndItsRetryAnswersTheSameRun() {
        WorkflowView created = create(WEBHOOK);
        UUID workflowId = created.workflow().id();
        String secret = created.newWebhookSecret().orElseThrow();
        WebhookTrigger hook = created.webhook().orElseThrow();
        byte[] body = "{\"order\":42}".getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        String signature = WebhookSignature.sign(secret, timestamp, body);

        HookReceiver.Received received = hooks.receive(hook.webhookId(), Long.toString(timestamp), signature, "dlv-1",
                "application/json", body);
        assertFalse(received.duplicate());
        WorkflowRun run = received.run();
        assertEquals(RunTrigger.WEBHOOK, run.trigger());
        assertEquals("dlv-1", run.webhookDeliveryId());
        assertEquals(Json.createObjectBuilder().add("order", 42).build(), run.input());

        HookReceiver.Received retried = hooks.receive(hook.webhookId(), Long.toString(timestamp), signature, "dlv-1",
                "application/json", body);
        assertTrue(retried.duplicate());
        assertEquals(run, retried.run());
        assertEquals(1, repository.runs());
        assertEquals(1, workspaces.consumeCalls());

        List<WebhookDelivery> logged = webhooks.deliveries(WORKSPACE, workflowId, USER, null, null).items();
        assertEquals(Set.of(WebhookDelivery.Outcome.ACCEPTED, WebhookDelivery.Outcome.DUPLICATE),
                Set.copyOf(logged.stream().map(WebhookDelivery::outcome).toList()));
        assertTrue(logged.stream().allMatch(d -> run.id().equals(d.runId()) && "dlv-1".equals(d.deliveryId())
                && d.bodyBytes() == body.length));
    }

    @Test
    void aWrongSignatureIsRejectedAndLogged() {
        WorkflowView created = create(WEBHOOK);
        UUID workflowId = created.workflow().id();
        String secret = created.newWebhookSecret().orElseThrow();
        String webhookId = created.webhook().orElseThrow().webhookId();
        byte[] body = "{\"order\":43}".getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        String forged = WebhookSignature.sign(WebhookSignature.newSecret(), Long.parseLong(timestamp), body);

        WebhookRejectedException rejected = assertThrows(WebhookRejectedException.class,
                () -> hooks.receive(webhookId, timestamp, forged, "dlv-bad", "application/json", body));
        assertEquals(401, rejected.status());
        assertEquals(0, repository.runs());
        assertEquals(0, workspaces.consumeCalls());
        List<WebhookDelivery> logged = webhooks.deliveries(WORKSPACE, workflowId, USER, null, null).items();
        assertEquals(1, logged.size());
        WebhookDelivery delivery = logged.get(0);
        assertEquals(WebhookDelivery.Outcome.REJECTED_SIGNATURE, delivery.outcome());
        assertEquals("dlv-bad", delivery.deliveryId());
        assertNull(delivery.runId());
        assertEquals(body.length, delivery.bodyBytes());

        // after a rotation the first secret is refused too, and the new one accepted
        String rotated = webhooks.rotate(WORKSPACE, workflowId, USER).secret();
        assertThrows(WebhookRejectedException.class, () -> hooks.receive(webhookId, timestamp,
                WebhookSignature.sign(secret, Long.parseLong(timestamp), body), "dlv-old", "application/json", body));
        assertFalse(hooks.receive(webhookId, timestamp, WebhookSignature.sign(rotated, Long.parseLong(timestamp), body),
                "dlv-new", "application/json", body).duplicate());
        assertEquals(1, repository.runs());
    }

    // --- regressions: restored triggers, requeue of disabled workflows ---

    @Test
    void restoringAVersionBringsBackItsTrigger() {
        UUID workflowId = create(MANUAL).workflow().id();
        WorkflowView webhook = workflows.update(WORKSPACE, workflowId, USER, draft("Flow", WEBHOOK, true), 1L);
        assertEquals(WEBHOOK, webhook.workflow().triggerType());

        WorkflowView restored = workflows.restore(WORKSPACE, workflowId, 1, USER, null);
        assertEquals(MANUAL, restored.definition().getJsonArray("nodes").getJsonObject(0).getString("type"));
        assertEquals(MANUAL, restored.workflow().triggerType(), "the trigger type follows the restored definition");
    }

    @Test
    void aDeadLetterOfADisabledWorkflowIsNotRequeued() {
        UUID workflowId = create(MANUAL).workflow().id();
        DeadLetter letter = repository.deadLetter(started(workflowId).id(), "boom", "start", clock.instant());
        workflows.update(WORKSPACE, workflowId, USER, draft("Off", MANUAL, false), 1L);

        assertThrows(WorkflowDisabledException.class, () -> deadLetters.requeue(WORKSPACE, letter.id(), USER));
        assertEquals(1, repository.runs());
        assertTrue(repository.findDeadLetter(WORKSPACE, letter.id()).isPresent(), "the letter stays");
    }
}
