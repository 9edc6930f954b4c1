package dev.flowline.workflows;

import dev.flowline.platform.errors.FlowlineException;
import dev.flowline.runs.CreateWorkflowRunOutcome;
import dev.flowline.runs.CreateWorkflowRunOutcome.AlreadyExisted;
import dev.flowline.runs.CreateWorkflowRunOutcome.Created;
import dev.flowline.runs.CreateWorkflowRunOutcome.RefusedByQuota;
import dev.flowline.runs.DeadLetter;
import dev.flowline.runs.DeadLetterService;
import dev.flowline.runs.InMemoryDeadLetterRepository;
import dev.flowline.runs.InMemoryRunRepository;
import dev.flowline.runs.InMemoryRunsPruned;
import dev.flowline.runs.RecordedRunActivity;
import dev.flowline.runs.NewRun;
import dev.flowline.runs.RunService;
import dev.flowline.runs.RunStatus;
import dev.flowline.runs.RunTrigger;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.Fixtures;
import dev.flowline.testing.MovableClock;
import dev.flowline.testing.MutableClock;
import dev.flowline.triggers.HookReceiver;
import dev.flowline.triggers.RefusedDeliveries;
import dev.flowline.triggers.InMemoryWebhookDeliveryRepository;
import dev.flowline.triggers.ScheduleFiring;
import dev.flowline.triggers.TriggerErrors.WebhookRejectedException;
import dev.flowline.triggers.WebhookDelivery;
import dev.flowline.triggers.WebhookDeliveryService;
import dev.flowline.users.UserRepository;
import dev.flowline.workflows.WorkflowErrors.WorkflowDisabledException;
import dev.flowline.workflows.WorkflowErrors.WorkflowNotFoundException;
import dev.flowline.workspaces.NeutralRunUsageRepository;
import dev.flowline.workspaces.NeutralWorkspaceRepository;
import dev.flowline.workspaces.NoopInvitationRepository;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.RunConsumption;
import dev.flowline.workspaces.StaticRunUsageRepository;
import dev.flowline.workspaces.StaticRunUsageRepository.QuotaState;
import dev.flowline.workspaces.StaticWorkspaceMembershipRepository;
import dev.flowline.workspaces.WorkspaceErrors.NotAMemberException;
import dev.flowline.workspaces.WorkspaceErrors.RoleRequiredException;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The workflow, run, schedule, webhook and dead-letter services on the in-memory repositories (one double per
 * repository, from {@link InMemoryWorkflowRepository} up to {@link InMemoryWebhookDeliveryRepository}) and
 * {@link StaticWorkspaceMembershipRepository}, with a {@link MutableClock}: tenancy and role gating, run quotas and
 * idempotency, schedule firing and webhook deliveries, decided without the database.
 *
 * <p>The product's scheduler and retention job are off in this archive: the scheduler would fire, on its own thread,
 * the schedules these tests make due by moving the clock.
 */
@ExtendWith(ArquillianExtension.class)
class WorkflowServicesIT {

    private static final UUID WORKSPACE = UUID.randomUUID();
    private static final String MANUAL = "trigger.manual";
    private static final String SCHEDULE = ScheduleService.TRIGGER;
    private static final String WEBHOOK = WebhookService.TRIGGER;
    private static final String HOURLY = "0 * * * *";

    @Deployment
    static WebArchive deployment() {
        return Deployments.inContainer(Deployments.withoutBackgroundJobs(Deployments.product()),
                WorkflowServicesIT.class, InMemoryWorkflowRepository.class,
                InMemoryWorkflowDeleted.class, InMemoryScheduleRepository.class, InMemoryWebhookRepository.class,
                InMemoryRunRepository.class, InMemoryRunsPruned.class, InMemoryDeadLetterRepository.class,
                InMemoryWebhookDeliveryRepository.class, NeutralWorkspaceRepository.class,
                StaticWorkspaceMembershipRepository.class, NoopInvitationRepository.class,
                NeutralRunUsageRepository.class, StaticRunUsageRepository.class, MutableClock.class, MovableClock.class,
                RecordedRunActivity.class);
    }

    @Inject
    RecordedRunActivity runActivity;

    @Inject
    InMemoryWorkflowRepository workflowRepository;

    @Inject
    InMemoryScheduleRepository scheduleRepository;

    @Inject
    InMemoryWebhookRepository webhookRepository;

    @Inject
    InMemoryRunRepository runRepository;

    @Inject
    InMemoryDeadLetterRepository deadLetterRepository;

    @Inject
    InMemoryWebhookDeliveryRepository deliveryRepository;

    @Inject
    StaticWorkspaceMembershipRepository workspaces;

    @Inject
    StaticRunUsageRepository runUsage;

    @Inject
    MutableClock clock;

    @Inject
    UserRepository users;

    /** A verified user: the services refuse runs to unverified addresses (VerifiedEmail). */
    private UUID user;

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
    WebhookDeliveryService deliveries;

    @Inject
    HookReceiver hooks;

    @Inject
    RefusedDeliveries refused;

    @Inject
    ScheduleFiring firing;

    @BeforeEach
    void reset() {
        assertThat(ConfigProvider.getConfig().getValue("flowline.scheduler.enabled", Boolean.class))
                .as("the product's scheduler would fire these tests' schedules").isFalse();
        workflowRepository.clear();
        scheduleRepository.clear();
        webhookRepository.clear();
        runRepository.clear();
        deadLetterRepository.clear();
        deliveryRepository.clear();
        workspaces.reset();
        runUsage.reset();
        workspaces.memberAs(WorkspaceRole.MEMBER);
        user = Fixtures.newUser(users, clock.instant()).id();
        users.markEmailVerified(user, clock.instant());
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
        return workflows.create(WORKSPACE, user, draft("Flow " + trigger, trigger, enabled));
    }

    private WorkflowRun started(UUID workflowId) {
        return expect(Created.class, runs.start(WORKSPACE, workflowId, user, null, null)).run();
    }

    /** The outcome as the kind the test expects; fails, showing the outcome, when it is another kind. */
    private static <T extends CreateWorkflowRunOutcome> T expect(Class<T> kind, CreateWorkflowRunOutcome outcome) {
        assertThat(outcome).isInstanceOf(kind);
        return kind.cast(outcome);
    }

    /** One of everything, made by a MEMBER: the rows that the gating tests call each entry point on. */
    private record Fixture(UUID workflowId, UUID runId, UUID scheduledId, UUID hookedId, UUID deadLetterId) {
    }

    private Fixture fixture() {
        UUID workflowId = create(MANUAL).workflow().id();
        UUID runId = started(workflowId).id();
        UUID scheduledId = create(SCHEDULE).workflow().id();
        schedules.put(WORKSPACE, scheduledId, user, HOURLY, "UTC", MissedFiringPolicy.RUN_ONCE);
        UUID hookedId = create(WEBHOOK).workflow().id();
        DeadLetter letter = deadLetterRepository.deadLetter(started(workflowId).id(), "boom", "start", clock.instant());
        return new Fixture(workflowId, runId, scheduledId, hookedId, letter.id());
    }

    /** The workflow and run services' entry points that change something, each called on the fixture. */
    private Map<String, ThrowingCallable> writes(Fixture f) {
        Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
        calls.put("WorkflowService.create", () -> workflows.create(WORKSPACE, user, draft("New", MANUAL, true)));
        calls.put("WorkflowService.update", () -> workflows.update(WORKSPACE, f.workflowId(), user,
                draft("Renamed", MANUAL, true), 1L));
        calls.put("WorkflowService.delete", () -> workflows.delete(WORKSPACE, f.workflowId(), user));
        calls.put("WorkflowService.restore", () -> workflows.restore(WORKSPACE, f.workflowId(), 1, user, null));
        calls.put("RunService.start", () -> runs.start(WORKSPACE, f.workflowId(), user, null, "key"));
        calls.put("RunService.cancel", () -> runs.cancel(WORKSPACE, f.runId(), user));
        calls.put("RunService.rerun", () -> runs.rerun(WORKSPACE, f.runId(), user));
        calls.put("ScheduleService.put", () -> schedules.put(WORKSPACE, f.scheduledId(), user, "*/5 * * * *", "UTC",
                MissedFiringPolicy.SKIP));
        calls.put("ScheduleService.delete", () -> schedules.delete(WORKSPACE, f.scheduledId(), user));
        calls.put("ScheduleService.pause", () -> schedules.pause(WORKSPACE, f.scheduledId(), user));
        calls.put("ScheduleService.resume", () -> schedules.resume(WORKSPACE, f.scheduledId(), user));
        calls.put("WebhookService.rotate", () -> webhooks.rotate(WORKSPACE, f.hookedId(), user));
        calls.put("DeadLetterService.requeue", () -> deadLetters.requeue(WORKSPACE, f.deadLetterId(), user));
        calls.put("DeadLetterService.requeueAll", () -> deadLetters.requeueAll(WORKSPACE, List.of(f.deadLetterId()),
                user));
        calls.put("DeadLetterService.discard", () -> deadLetters.discard(WORKSPACE, f.deadLetterId(), user));
        return calls;
    }

    /** The entry points that only read. */
    private Map<String, ThrowingCallable> reads(Fixture f) {
        Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
        calls.put("WorkflowService.list", () -> workflows.list(WORKSPACE, user, null, null));
        calls.put("WorkflowService.get", () -> workflows.get(WORKSPACE, f.workflowId(), user));
        calls.put("WorkflowService.versions", () -> workflows.versions(WORKSPACE, f.workflowId(), user, null, null));
        calls.put("WorkflowService.version", () -> workflows.version(WORKSPACE, f.workflowId(), 1, user));
        calls.put("RunService.list", () -> runs.list(WORKSPACE, null, user, Set.of(), null, null, null, null));
        calls.put("RunService.get", () -> runs.get(WORKSPACE, f.runId(), user));
        calls.put("ScheduleService.get", () -> schedules.get(WORKSPACE, f.scheduledId(), user));
        calls.put("WebhookService.get", () -> webhooks.get(WORKSPACE, f.hookedId(), user));
        calls.put("WebhookDeliveryService.list", () -> deliveries.list(WORKSPACE, f.hookedId(), user, null, null));
        calls.put("DeadLetterService.list", () -> deadLetters.list(WORKSPACE, user, null, null));
        return calls;
    }

    private static void assertForbidden(Class<? extends FlowlineException> expected,
                                        Map<String, ThrowingCallable> calls) {
        for (Map.Entry<String, ThrowingCallable> call : calls.entrySet()) {
            assertThatExceptionOfType(expected).as(call.getKey()).isThrownBy(call.getValue())
                    .extracting(FlowlineException::status).isEqualTo(403);
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
        return runRepository.allRuns().stream()
                .filter(run -> run.workflowId().equals(workflowId))
                .peek(run -> assertThat(run.trigger()).isEqualTo(RunTrigger.SCHEDULE))
                .map(WorkflowRun::scheduledFor)
                .toList();
    }

    private Schedule scheduleOf(UUID workflowId) {
        return schedules.get(WORKSPACE, workflowId, user).schedule();
    }

    // --- gating ---

    @Test
    void nonMembersAreRefusedByEveryEntryPoint() {
        Fixture f = fixture();
        int runsBefore = runRepository.runs();
        int consumedBefore = runUsage.consumeCalls();
        workspaces.memberAs(null);

        Map<String, ThrowingCallable> calls = new LinkedHashMap<>(reads(f));
        calls.putAll(writes(f));
        assertThat(calls).hasSize(25);
        assertForbidden(NotAMemberException.class, calls);
        // the same for rows that do not exist: a non-member learns nothing
        UUID unknown = UUID.randomUUID();
        assertForbidden(NotAMemberException.class, writes(new Fixture(unknown, unknown, unknown, unknown, unknown)));
        assertForbidden(NotAMemberException.class, reads(new Fixture(unknown, unknown, unknown, unknown, unknown)));

        assertThat(runRepository.runs()).isEqualTo(runsBefore);
        assertThat(runUsage.consumeCalls()).as("no quota unit taken").isEqualTo(consumedBefore);
        workspaces.memberAs(WorkspaceRole.VIEWER);
        assertThat(workflows.get(WORKSPACE, f.workflowId(), user).workflow().version())
                .as("nothing changed").isEqualTo(1);
        assertThat(deadLetters.list(WORKSPACE, user, null, null).items()).hasSize(1);
    }

    @Test
    void viewersReadButDoNotWrite() {
        Fixture f = fixture();
        int runsBefore = runRepository.runs();
        int consumedBefore = runUsage.consumeCalls();
        workspaces.memberAs(WorkspaceRole.VIEWER);

        for (Map.Entry<String, ThrowingCallable> read : reads(f).entrySet()) {
            assertThatCode(read.getValue()).as(read.getKey() + " refused a viewer").doesNotThrowAnyException();
        }
        assertThat(workflows.list(WORKSPACE, user, null, null).items()).hasSize(3);
        assertThat(workflows.get(WORKSPACE, f.workflowId(), user).workflow().triggerType()).isEqualTo(MANUAL);
        assertThat(runs.list(WORKSPACE, f.workflowId(), user, Set.of(), null, null, null, null).items()).hasSize(2);
        assertThat(runs.get(WORKSPACE, f.runId(), user).run().id()).isEqualTo(f.runId());
        assertThat(scheduleOf(f.scheduledId()).cron()).isEqualTo(HOURLY);
        assertThat(webhooks.get(WORKSPACE, f.hookedId(), user).workflowId()).isEqualTo(f.hookedId());
        assertThat(deadLetters.list(WORKSPACE, user, null, null).items())
                .extracting(DeadLetter::id).containsExactly(f.deadLetterId());

        assertForbidden(RoleRequiredException.class, writes(f));
        assertThat(runRepository.runs()).isEqualTo(runsBefore);
        assertThat(runUsage.consumeCalls()).as("no quota unit taken").isEqualTo(consumedBefore);
        assertThat(workflows.get(WORKSPACE, f.workflowId(), user).workflow().version())
                .as("nothing changed").isEqualTo(1);
        assertThat(runs.get(WORKSPACE, f.runId(), user).run().status()).isEqualTo(RunStatus.QUEUED);
        assertThat(scheduleOf(f.scheduledId()).paused()).isFalse();
        assertThat(deadLetters.list(WORKSPACE, user, null, null).items()).hasSize(1);
    }

    @Test
    void membersWrite() {
        Fixture f = fixture();

        WorkflowView updated = workflows.update(WORKSPACE, f.workflowId(), user, draft("Renamed", MANUAL, true), 1L);
        assertThat(updated.workflow().name()).isEqualTo("Renamed");
        assertThat(updated.workflow().version()).isEqualTo(2);
        WorkflowView restored = workflows.restore(WORKSPACE, f.workflowId(), 1, user, 2L);
        assertThat(restored.workflow().currentVersion()).isEqualTo(2);
        assertThat(workflows.versions(WORKSPACE, f.workflowId(), user, null, null).items())
                .extracting(WorkflowVersion::number).containsExactly(2, 1);

        runActivity.take();
        WorkflowRun canceled = runs.cancel(WORKSPACE, f.runId(), user);
        assertThat(canceled.status()).isEqualTo(RunStatus.CANCELED);
        runs.cancel(WORKSPACE, f.runId(), user);
        WorkflowRun rerun = expect(Created.class, runs.rerun(WORKSPACE, f.runId(), user)).run();
        assertThat(rerun.trigger()).isEqualTo(RunTrigger.RERUN);
        assertThat(rerun.rerunOf()).isEqualTo(f.runId());
        assertThat(runActivity.take()).as("a second cancel changes nothing and records nothing")
                .containsExactly("run.canceled", "run.rerun");

        ScheduleView paused = schedules.pause(WORKSPACE, f.scheduledId(), user);
        assertThat(paused.schedule().paused()).isTrue();
        assertThat(paused.nextFirings()).isEmpty();
        assertThat(schedules.resume(WORKSPACE, f.scheduledId(), user).schedule().paused()).isFalse();
        assertThat(schedules.put(WORKSPACE, f.scheduledId(), user, "*/5 * * * *", "UTC",
                MissedFiringPolicy.SKIP).schedule().missedFiringPolicy()).isEqualTo(MissedFiringPolicy.SKIP);
        schedules.delete(WORKSPACE, f.scheduledId(), user);
        assertThat(scheduleRepository.findSchedule(WORKSPACE, f.scheduledId())).isEmpty();

        String before = webhookRepository.findWebhook(WORKSPACE, f.hookedId()).orElseThrow().encryptedSecret();
        WebhookService.RotatedSecret rotated = webhooks.rotate(WORKSPACE, f.hookedId(), user);
        assertThat(rotated.secret()).startsWith(WebhookSignature.SECRET_PREFIX);
        assertThat(rotated.webhook().encryptedSecret()).isNotEqualTo(before);

        DeadLetter letter = deadLetterRepository.findDeadLetter(WORKSPACE, f.deadLetterId()).orElseThrow();
        WorkflowRun retry = expect(Created.class, deadLetters.requeue(WORKSPACE, f.deadLetterId(), user)).run();
        assertThat(retry.trigger()).isEqualTo(RunTrigger.RETRY);
        assertThat(retry.rerunOf()).isEqualTo(letter.runId());
        assertThat(deadLetterRepository.findDeadLetter(WORKSPACE, f.deadLetterId()))
                .as("requeued: the letter is gone").isEmpty();
        DeadLetter another = deadLetterRepository.deadLetter(retry.id(), "boom again", "start", clock.instant());
        deadLetters.discard(WORKSPACE, another.id(), user);
        assertThat(deadLetters.list(WORKSPACE, user, null, null).items()).isEmpty();
        assertThat(runActivity.take()).containsExactly("dead_letter.requeued", "dead_letter.discarded");

        workflows.delete(WORKSPACE, f.workflowId(), user);
        assertThatThrownBy(() -> workflows.get(WORKSPACE, f.workflowId(), user))
                .isInstanceOf(WorkflowNotFoundException.class);
        assertThat(runs.list(WORKSPACE, null, user, Set.of(), null, null, null, null).items()).as("its runs went with it")
                .filteredOn(run -> run.workflowId().equals(f.workflowId())).isEmpty();
    }

    // --- quotas and idempotency ---

    @Test
    void atTheLimitASoloWorkspaceIsRefusedARun() {
        UUID workflowId = create(MANUAL).workflow().id();
        workspaces.plan(PlanTier.SOLO);
        runUsage.quota(QuotaState.AT_LIMIT);

        CreateWorkflowRunOutcome outcome = runs.start(WORKSPACE, workflowId, user, null, null);
        assertThat(outcome).isInstanceOfSatisfying(RefusedByQuota.class,
                refused -> assertThat(refused.allocation()).isEqualTo(1_000));
        assertThat(runRepository.runs()).as("no run stored").isEqualTo(0);
        assertThat(runUsage.consumeCalls()).isEqualTo(1);
        assertThat(runUsage.releaseCalls()).as("a refused unit is not given back").isEqualTo(0);
    }

    @Test
    void withRunsRemainingARunIsCreatedOnTheUnitItTook() {
        UUID workflowId = create(MANUAL).workflow().id();
        JsonObject input = Json.createObjectBuilder().add("customer", "c-42").build();

        WorkflowRun run = expect(Created.class, runs.start(WORKSPACE, workflowId, user, input, null)).run();
        assertThat(run.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(run.trigger()).isEqualTo(RunTrigger.MANUAL);
        assertThat(run.workflowVersion()).isEqualTo(1);
        assertThat(run.input()).isEqualTo(input);
        assertThat(runRepository.runs()).isEqualTo(1);
        assertThat(runUsage.consumeCalls()).isEqualTo(1);
        assertThat(runUsage.releaseCalls()).isEqualTo(0);
        NewRun inserted = runRepository.insertedAs(run.id()).orElseThrow();
        assertThat(inserted.quotaKind()).isEqualTo(RunConsumption.WITHIN_ALLOCATION);
        assertThat(inserted.createdBy()).isEqualTo(user);
    }

    @Test
    void aRepeatedIdempotencyKeyAnswersTheSameRunWithoutASecondUnit() {
        UUID workflowId = create(MANUAL).workflow().id();
        WorkflowRun first = expect(Created.class, runs.start(WORKSPACE, workflowId, user, null, "order-7")).run();
        WorkflowRun again = expect(AlreadyExisted.class, runs.start(WORKSPACE, workflowId, user, null, "order-7"))
                .run();
        assertThat(again).isEqualTo(first);
        assertThat(runRepository.runs()).isEqualTo(1);
        assertThat(runUsage.consumeCalls()).as("the repeat takes a unit as it inserts...").isEqualTo(2);
        assertThat(runUsage.releaseCalls()).as("...and gives it back when the key is taken").isEqualTo(1);
    }

    @Test
    void aLostInsertRaceGivesTheUnitBack() {
        UUID workflowId = create(MANUAL).workflow().id();
        runRepository.loseNextInsertRace();

        WorkflowRun winner = expect(AlreadyExisted.class, runs.start(WORKSPACE, workflowId, user, null, "order-8"))
                .run();
        assertThat(winner.idempotencyKey()).isEqualTo("order-8");
        assertThat(runRepository.runs()).as("only the concurrent request's run").isEqualTo(1);
        assertThat(runUsage.consumeCalls()).isEqualTo(1);
        assertThat(runUsage.releaseCalls()).as("the unit of the lost insert is given back").isEqualTo(1);
    }

    // --- schedule firing ---

    @Test
    void aDueScheduleFiresOnceForItsTimeAndAdvances() {
        Instant start = halfPastAnHour();
        UUID workflowId = create(SCHEDULE).workflow().id();
        Instant next = schedules.put(WORKSPACE, workflowId, user, HOURLY, "UTC", MissedFiringPolicy.RUN_ONCE)
                .schedule().nextRunAt();
        assertThat(next).isEqualTo(start.plus(Duration.ofMinutes(30)));
        assertThat(firing.fireDue()).as("not due yet").isEqualTo(0);

        clock.advance(Duration.ofMinutes(30));
        assertThat(firing.fireDue()).isEqualTo(1);
        assertThat(firedFor(workflowId)).containsExactly(next);
        WorkflowRun run = runRepository.allRuns().get(0);
        assertThat(run.input()).isEqualTo(Json.createObjectBuilder().add("scheduledFor", next.toString()).build());
        assertThat(scheduleOf(workflowId)).isEqualTo(new Schedule(workflowId, WORKSPACE, HOURLY, "UTC",
                MissedFiringPolicy.RUN_ONCE, false, next.plus(Duration.ofHours(1)), next));

        assertThat(firing.fireDue()).as("fired already").isEqualTo(0);
        assertThat(runRepository.runs()).isEqualTo(1);
        assertThat(runUsage.consumeCalls()).isEqualTo(1);

        // claimed again for the same time (as by an instance that crashed before advancing it): no second run
        scheduleRepository.makeDue(workflowId, next);
        assertThat(firing.fireDue()).isEqualTo(1);
        assertThat(firedFor(workflowId)).containsExactly(next);
        assertThat(runUsage.consumeCalls() - runUsage.releaseCalls())
                .as("the earlier run is answered: the repeat's unit is given back").isEqualTo(1);
        assertThat(scheduleOf(workflowId).nextRunAt()).isEqualTo(next.plus(Duration.ofHours(1)));
    }

    @Test
    void aFiringRefusedByTheQuotaIsShownOnTheScheduleUntilOneSucceeds() {
        Instant start = halfPastAnHour();
        UUID workflowId = create(SCHEDULE).workflow().id();
        schedules.put(WORKSPACE, workflowId, user, HOURLY, "UTC", MissedFiringPolicy.RUN_ONCE);
        workspaces.plan(PlanTier.SOLO);
        runUsage.quota(QuotaState.AT_LIMIT);

        clock.advance(Duration.ofMinutes(30));
        assertThat(firing.fireDue()).isEqualTo(1);
        Schedule refused = scheduleOf(workflowId);
        assertThat(firedFor(workflowId)).isEmpty();
        assertThat(refused.lastError()).contains("1000 runs");
        assertThat(refused.lastErrorAt()).isEqualTo(clock.instant());
        assertThat(refused.nextRunAt()).as("the schedule moves on").isEqualTo(start.plus(Duration.ofMinutes(90)));

        runUsage.quota(QuotaState.REMAINING);
        clock.advance(Duration.ofHours(1));
        assertThat(firing.fireDue()).isEqualTo(1);
        assertThat(firedFor(workflowId)).hasSize(1);
        assertThat(scheduleOf(workflowId).lastError()).as("a successful firing clears the error").isNull();
    }

    @Test
    void firingsMissedForThreeHoursFollowEachSchedulesPolicy() {
        Instant start = halfPastAnHour();
        UUID once = create(SCHEDULE).workflow().id();
        UUID all = create(SCHEDULE).workflow().id();
        UUID skip = create(SCHEDULE).workflow().id();
        schedules.put(WORKSPACE, once, user, HOURLY, "UTC", MissedFiringPolicy.RUN_ONCE);
        schedules.put(WORKSPACE, all, user, HOURLY, "UTC", MissedFiringPolicy.RUN_ALL);
        schedules.put(WORKSPACE, skip, user, HOURLY, "UTC", MissedFiringPolicy.SKIP);

        clock.advance(Duration.ofHours(3));
        Instant first = start.plus(Duration.ofMinutes(30));
        assertThat(firing.fireDue()).isEqualTo(3);

        assertThat(firedFor(once)).as("RUN_ONCE: the latest time").containsExactly(first.plus(Duration.ofHours(2)));
        assertThat(firedFor(all)).as("RUN_ALL: every time, oldest first").containsExactly(first,
                first.plus(Duration.ofHours(1)), first.plus(Duration.ofHours(2)));
        assertThat(firedFor(skip)).as("SKIP: nothing late").isEmpty();
        for (UUID workflowId : List.of(once, all, skip)) {
            assertThat(scheduleOf(workflowId).nextRunAt())
                    .as("the next hour").isEqualTo(first.plus(Duration.ofHours(3)));
        }
        assertThat(runUsage.consumeCalls()).isEqualTo(4);
        assertThat(firing.fireDue()).isEqualTo(0);
    }

    @Test
    void pausedSchedulesAndDisabledWorkflowsDoNotFire() {
        Instant start = halfPastAnHour();
        UUID paused = create(SCHEDULE).workflow().id();
        schedules.put(WORKSPACE, paused, user, HOURLY, "UTC", MissedFiringPolicy.RUN_ALL);
        schedules.pause(WORKSPACE, paused, user);
        UUID disabled = create(SCHEDULE, false).workflow().id();
        schedules.put(WORKSPACE, disabled, user, HOURLY, "UTC", MissedFiringPolicy.RUN_ALL);

        clock.advance(Duration.ofHours(2));
        assertThat(firing.fireDue()).isEqualTo(0);
        assertThat(runRepository.runs()).isEqualTo(0);
        assertThat(runUsage.consumeCalls()).isEqualTo(0);

        // resuming starts from now: the firings missed while paused are not made up
        assertThat(schedules.resume(WORKSPACE, paused, user).schedule().nextRunAt())
                .isEqualTo(start.plus(Duration.ofMinutes(150)));
        assertThat(firing.fireDue()).isEqualTo(0);
        clock.advance(Duration.ofMinutes(30));
        assertThat(firing.fireDue()).isEqualTo(1);
        assertThat(firedFor(paused)).containsExactly(start.plus(Duration.ofMinutes(150)));
        assertThat(firedFor(disabled)).isEmpty();
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
        assertThat(received.duplicate()).isFalse();
        WorkflowRun run = received.run();
        assertThat(run.trigger()).isEqualTo(RunTrigger.WEBHOOK);
        assertThat(run.webhookDeliveryId()).isEqualTo("dlv-1");
        assertThat(run.input()).isEqualTo(Json.createObjectBuilder().add("order", 42).build());

        HookReceiver.Received retried = hooks.receive(hook.webhookId(), Long.toString(timestamp), signature, "dlv-1",
                "application/json", body);
        assertThat(retried.duplicate()).isTrue();
        assertThat(retried.run()).isEqualTo(run);
        assertThat(runRepository.runs()).isEqualTo(1);
        assertThat(runUsage.consumeCalls() - runUsage.releaseCalls()).as("one unit in all").isEqualTo(1);

        List<WebhookDelivery> logged = deliveries.list(WORKSPACE, workflowId, user, null, null).items();
        assertThat(logged).extracting(WebhookDelivery::outcome)
                .containsOnly(WebhookDelivery.Outcome.ACCEPTED, WebhookDelivery.Outcome.DUPLICATE);
        assertThat(logged).allMatch(d -> run.id().equals(d.runId()) && "dlv-1".equals(d.deliveryId())
                && d.bodyBytes() == body.length);
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

        assertThatExceptionOfType(WebhookRejectedException.class)
                .isThrownBy(() -> hooks.receive(webhookId, timestamp, forged, "dlv-bad", "application/json", body))
                .extracting(FlowlineException::status).isEqualTo(401);
        assertThat(runRepository.runs()).isEqualTo(0);
        assertThat(runUsage.consumeCalls()).isEqualTo(0);
        assertThat(deliveries.list(WORKSPACE, workflowId, user, null, null).items())
                .as("tallied, not logged one by one").isEmpty();
        assertThat(refused.flush()).isEqualTo(1);
        List<WebhookDelivery> logged = deliveries.list(WORKSPACE, workflowId, user, null, null).items();
        assertThat(logged).hasSize(1);
        WebhookDelivery delivery = logged.get(0);
        assertThat(delivery.repeats()).isEqualTo(1);
        assertThat(delivery.outcome()).isEqualTo(WebhookDelivery.Outcome.REJECTED_SIGNATURE);
        assertThat(delivery.deliveryId()).isEqualTo("dlv-bad");
        assertThat(delivery.runId()).isNull();
        assertThat(delivery.bodyBytes()).isEqualTo(body.length);

        // after a rotation the first secret is refused too, and the new one accepted
        String rotated = webhooks.rotate(WORKSPACE, workflowId, user).secret();
        assertThatThrownBy(() -> hooks.receive(webhookId, timestamp,
                WebhookSignature.sign(secret, Long.parseLong(timestamp), body), "dlv-old", "application/json", body))
                .isInstanceOf(WebhookRejectedException.class);
        assertThat(hooks.receive(webhookId, timestamp, WebhookSignature.sign(rotated, Long.parseLong(timestamp), body),
                "dlv-new", "application/json", body).duplicate()).isFalse();
        assertThat(runRepository.runs()).isEqualTo(1);
    }

    // --- regressions: restored triggers, requeue of disabled workflows ---

    @Test
    void restoringAVersionBringsBackItsTrigger() {
        UUID workflowId = create(MANUAL).workflow().id();
        WorkflowView webhook = workflows.update(WORKSPACE, workflowId, user, draft("Flow", WEBHOOK, true), 1L);
        assertThat(webhook.workflow().triggerType()).isEqualTo(WEBHOOK);

        WorkflowView restored = workflows.restore(WORKSPACE, workflowId, 1, user, null);
        assertThat(restored.definition().getJsonArray("nodes").getJsonObject(0).getString("type")).isEqualTo(MANUAL);
        assertThat(restored.workflow().triggerType())
                .as("the trigger type follows the restored definition").isEqualTo(MANUAL);
    }

    @Test
    void aDeadLetterOfADisabledWorkflowIsNotRequeued() {
        UUID workflowId = create(MANUAL).workflow().id();
        DeadLetter letter = deadLetterRepository.deadLetter(started(workflowId).id(), "boom", "start", clock.instant());
        workflows.update(WORKSPACE, workflowId, user, draft("Off", MANUAL, false), 1L);

        assertThatThrownBy(() -> deadLetters.requeue(WORKSPACE, letter.id(), user))
                .isInstanceOf(WorkflowDisabledException.class);
        assertThat(runRepository.runs()).isEqualTo(1);
        assertThat(deadLetterRepository.findDeadLetter(WORKSPACE, letter.id())).as("the letter stays").isPresent();
    }
}
