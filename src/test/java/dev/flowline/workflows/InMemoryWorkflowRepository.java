package dev.flowline.workflows;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.runs.DeadLetter;
import dev.flowline.runs.NewRun;
import dev.flowline.runs.RunQuery;
import dev.flowline.runs.RunStatus;
import dev.flowline.runs.RunStep;
import dev.flowline.runs.TakenUnit;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.WorkspaceRepository;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.ejb.EJBTransactionRequiredException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@link WorkflowRepository} in memory, for service and resource tests without a database. Mirrors
 * {@code JpaWorkflowRepository} (and the schema's constraints) where callers can tell the difference:
 * <ul>
 *   <li>every read of a workspace-owned row takes the workspace, so another workspace finds nothing by id;</li>
 *   <li>an idempotency key, a scheduled time and a webhook delivery id each make at most one run per workflow:
 *       {@link #insertRun} answers empty for a taken key, as {@code INSERT ... ON CONFLICT DO NOTHING} does;</li>
 *   <li>lists are keyset pages of {@code limit + 1} rows: workflows oldest first by (created_at, id), versions by
 *       number descending, runs, dead letters and deliveries newest first by (time, id);</li>
 *   <li>canceling cancels a QUEUED run, flags a RUNNING one and leaves finished ones alone;</li>
 *   <li>{@link #claimDueSchedules} answers only due (next run at or before now), unpaused schedules of enabled
 *       workflows, oldest first; it needs the caller's transaction, and a schedule claimed by a transaction stays
 *       invisible to other transactions until that one completes ({@code FOR UPDATE SKIP LOCKED});</li>
 *   <li>deleting a workflow removes its versions, runs, steps, dead letters, schedule, webhook and deliveries
 *       (the foreign keys' cascade); a missing parent (workflow, version, run) is an exception naming the
 *       constraint, as the database's would.</li>
 * </ul>
 * Times are rounded to microseconds, what {@code timestamptz} keeps. Ties of time are broken by id in the order of
 * {@link UUID#toString()}: PostgreSQL compares uuids as unsigned bytes, which is the order of their lowercase hex
 * text, whereas {@link UUID#compareTo} compares signed longs and would order some ids differently.
 *
 * <p>Not transactional: a write takes effect at once and a rollback does not undo it. Every method is synchronized,
 * which gives the atomicity of the single statements the JPA repository runs. Test helpers: {@link #clear()},
 * {@link #runs()}, {@link #allRuns()}, {@link #insertedAs}, {@link #setRunStatus}, {@link #makeDue} and
 * {@link #loseNextInsertRace()} (a concurrent request that wins a run's key).
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class InMemoryWorkflowRepository implements WorkflowRepository {

    /** PostgreSQL's uuid order (unsigned bytes), which is the order of the lowercase text. */
    static final Comparator<UUID> PG_UUID_ORDER = Comparator.comparing(UUID::toString);

    private static final Set<RunStatus> FINISHED = Set.of(RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELED,
            RunStatus.DEAD_LETTERED);

    private record VersionKey(UUID workflowId, int number) {
    }

    /** A run with the columns {@link WorkflowRun} does not show (quota unit, requester): what was inserted. */
    private record StoredRun(WorkflowRun run, NewRun inserted) {
        StoredRun with(WorkflowRun changed) {
            return new StoredRun(changed, inserted);
        }
    }

    @Resource
    TransactionSynchronizationRegistry transactions;

    /** Asked only by {@link #pruneRuns}, for the workspaces' plan tiers (the JPA query joins {@code workspaces}). */
    @Inject
    Instance<WorkspaceRepository> workspaces;

    private final Map<UUID, Workflow> workflows = new LinkedHashMap<>();
    private final Map<VersionKey, WorkflowVersion> versions = new LinkedHashMap<>();
    private final Map<UUID, StoredRun> runs = new LinkedHashMap<>();
    private final Map<UUID, RunStep> steps = new LinkedHashMap<>();
    private final Map<UUID, DeadLetter> deadLetters = new LinkedHashMap<>();
    private final Map<UUID, Schedule> schedules = new LinkedHashMap<>();
    private final Map<UUID, WebhookTrigger> webhooks = new LinkedHashMap<>();
    private final Map<UUID, WebhookDelivery> deliveries = new LinkedHashMap<>();
    /** Schedules claimed by a transaction still running: workflow id to the transaction's key. */
    private final Map<UUID, Object> claims = new HashMap<>();
    private final Set<Object> claimingTransactions = new HashSet<>();
    private boolean loseNextInsertRace;

    // --- test helpers ---

    /** Forgets everything, including an armed {@link #loseNextInsertRace()}. */
    public synchronized void clear() {
        workflows.clear();
        versions.clear();
        runs.clear();
        steps.clear();
        deadLetters.clear();
        schedules.clear();
        webhooks.clear();
        deliveries.clear();
        claims.clear();
        claimingTransactions.clear();
        loseNextInsertRace = false;
    }

    /** How many runs are stored, of every workspace. */
    public synchronized int runs() {
        return runs.size();
    }

    /** Every stored run, in the order they were inserted. */
    public synchronized List<WorkflowRun> allRuns() {
        return runs.values().stream().map(StoredRun::run).toList();
    }

    /** What the run was inserted with: the quota unit it consumed ({@code quotaKind}, period) and its requester. */
    public synchronized Optional<NewRun> insertedAs(UUID runId) {
        return Optional.ofNullable(runs.get(runId)).map(StoredRun::inserted);
    }

    /**
     * Sets a run's status as the engine would: RUNNING starts it (attempt at least 1, started at {@code at}); a
     * finished status finishes it at {@code at}; QUEUED requeues it (due at {@code at}).
     */
    public synchronized WorkflowRun setRunStatus(UUID runId, RunStatus status, Instant at) {
        StoredRun stored = Optional.ofNullable(runs.get(runId))
                .orElseThrow(() -> new IllegalArgumentException("No run " + runId));
        WorkflowRun r = stored.run();
        Instant when = micros(at);
        WorkflowRun changed = switch (status) {
            case QUEUED -> new WorkflowRun(r.id(), r.workspaceId(), r.workflowId(), r.workflowVersion(), status,
                    r.trigger(), r.input(), r.output(), r.error(), r.attempt(), r.idempotencyKey(), r.scheduledFor(),
                    r.webhookDeliveryId(), r.rerunOf(), r.cancelRequested(), r.queuedAt(), r.startedAt(), null, when,
                    null, null);
            case RUNNING -> new WorkflowRun(r.id(), r.workspaceId(), r.workflowId(), r.workflowVersion(), status,
                    r.trigger(), r.input(), r.output(), r.error(), Math.max(1, r.attempt()), r.idempotencyKey(),
                    r.scheduledFor(), r.webhookDeliveryId(), r.rerunOf(), r.cancelRequested(), r.queuedAt(), when,
                    null, r.nextAttemptAt(), r.leasedBy(), r.leaseExpiresAt());
            default -> finish(r, status, r.error(), when);
        };
        runs.put(runId, stored.with(changed));
        return changed;
    }

    /** Makes the workflow's schedule next fire at {@code nextRunAt} (in the past: due now). */
    public synchronized Schedule makeDue(UUID workflowId, Instant nextRunAt) {
        Schedule s = Optional.ofNullable(schedules.get(workflowId))
                .orElseThrow(() -> new IllegalArgumentException("Workflow " + workflowId + " has no schedule"));
        Schedule due = new Schedule(s.workflowId(), s.workspaceId(), s.cron(), s.timezone(), s.missedFiringPolicy(),
                s.paused(), micros(Objects.requireNonNull(nextRunAt, "nextRunAt")), s.lastFiredAt());
        schedules.put(workflowId, due);
        return due;
    }

    /**
     * Simulates losing an insert race once: the next {@link #insertRun} of a run with a uniqueness key finds that a
     * concurrent request inserted a run with the same key first. That other run is stored (so the finders find it)
     * and the insert answers empty, as {@code ON CONFLICT DO NOTHING} does when the other transaction commits first.
     */
    public synchronized void loseNextInsertRace() {
        loseNextInsertRace = true;
    }

    // --- workflows and versions ---

    @Override
    public synchronized Workflow create(UUID workspaceId, WorkflowSettings settings, UUID createdBy, Instant now) {
        Objects.requireNonNull(settings.definition(), "definition");
        Instant at = micros(now);
        // version 1: what EclipseLink writes into a numeric @Version column on insert
        Workflow workflow = new Workflow(UUID.randomUUID(), workspaceId, settings.name(), settings.description(),
                settings.enabled(), settings.triggerType(), 1, settings.concurrencyLimit(), retry(settings), at, at, 1);
        workflows.put(workflow.id(), workflow);
        putVersion(new WorkflowVersion(workflow.id(), 1, settings.definition(), createdBy, at));
        return workflow;
    }

    @Override
    public synchronized Optional<Workflow> find(UUID workspaceId, UUID workflowId) {
        return Optional.ofNullable(workflows.get(workflowId)).filter(w -> w.workspaceId().equals(workspaceId));
    }

    @Override
    public synchronized List<Workflow> list(UUID workspaceId, Keyset after, int limit) {
        Comparator<Workflow> oldestFirst = Comparator.comparing(Workflow::createdAt)
                .thenComparing(Workflow::id, PG_UUID_ORDER);
        return workflows.values().stream()
                .filter(w -> w.workspaceId().equals(workspaceId))
                .filter(w -> after == null || isAfter(w.createdAt(), w.id(), after))
                .sorted(oldestFirst)
                .limit(limit + 1L)
                .toList();
    }

    @Override
    public synchronized Optional<Workflow> update(UUID workspaceId, UUID workflowId, WorkflowSettings settings,
                                                  long expectedVersion, UUID updatedBy, Instant now) {
        Objects.requireNonNull(settings.definition(), "definition");
        Optional<Workflow> found = find(workspaceId, workflowId).filter(w -> w.version() == expectedVersion);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Workflow current = found.get();
        Instant at = micros(now);
        // JSON values compare as jsonb does: key order and formatting do not matter
        boolean changed = !settings.definition().equals(currentDefinition(current));
        int number = changed ? current.currentVersion() + 1 : current.currentVersion();
        Workflow updated = new Workflow(current.id(), current.workspaceId(), settings.name(), settings.description(),
                settings.enabled(), settings.triggerType(), number, settings.concurrencyLimit(), retry(settings),
                current.createdAt(), at, current.version() + 1);
        workflows.put(workflowId, updated);
        if (changed) {
            putVersion(new WorkflowVersion(workflowId, number, settings.definition(), updatedBy, at));
        }
        return Optional.of(updated);
    }

    @Override
    public synchronized boolean delete(UUID workspaceId, UUID workflowId) {
        if (find(workspaceId, workflowId).isEmpty()) {
            return false;
        }
        workflows.remove(workflowId);
        versions.keySet().removeIf(key -> key.workflowId().equals(workflowId));
        Set<UUID> runIds = new HashSet<>();
        runs.values().removeIf(stored -> {
            boolean ofWorkflow = stored.run().workflowId().equals(workflowId);
            if (ofWorkflow) {
                runIds.add(stored.run().id());
            }
            return ofWorkflow;
        });
        steps.values().removeIf(step -> runIds.contains(step.runId()));
        deadLetters.values().removeIf(letter -> letter.workflowId().equals(workflowId) || runIds.contains(letter.runId()));
        schedules.remove(workflowId);
        claims.remove(workflowId);
        webhooks.remove(workflowId);
        deliveries.values().removeIf(delivery -> delivery.workflowId().equals(workflowId));
        return true;
    }

    @Override
    public synchronized List<WorkflowVersion> listVersions(UUID workflowId, Integer beforeNumber, int limit) {
        return versions.values().stream()
                .filter(v -> v.workflowId().equals(workflowId))
                .filter(v -> beforeNumber == null || v.number() < beforeNumber)
                .sorted(Comparator.comparingInt(WorkflowVersion::number).reversed())
                .limit(limit + 1L)
                .toList();
    }

    @Override
    public synchronized Optional<WorkflowVersion> findVersion(UUID workflowId, int number) {
        return Optional.ofNullable(versions.get(new VersionKey(workflowId, number)));
    }

    /** {@inheritDoc} Like the JPA repository, only the version number moves: the settings (trigger type too) stay. */
    @Override
    public synchronized Optional<Workflow> restoreVersion(UUID workspaceId, UUID workflowId, int number,
                                                          String triggerType, Long expectedVersion, UUID restoredBy,
                                                          Instant now) {
        Optional<Workflow> found = find(workspaceId, workflowId);
        Optional<WorkflowVersion> copied = found.flatMap(w -> findVersion(w.id(), number));
        if (copied.isEmpty() || (expectedVersion != null && found.get().version() != expectedVersion)) {
            return Optional.empty();
        }
        Workflow current = found.get();
        Instant at = micros(now);
        Workflow restored = new Workflow(current.id(), current.workspaceId(), current.name(), current.description(),
                current.enabled(), triggerType, current.currentVersion() + 1, current.concurrencyLimit(),
                current.retryPolicy(), current.createdAt(), at, current.version() + 1);
        workflows.put(workflowId, restored);
        putVersion(new WorkflowVersion(workflowId, restored.currentVersion(), copied.get().definition(), restoredBy, at));
        return Optional.of(restored);
    }

    // --- runs ---

    @Override
    public synchronized Optional<WorkflowRun> insertRun(NewRun run, Instant now) {
        if (!versions.containsKey(new VersionKey(run.workflowId(), run.workflowVersion()))) {
            throw new IllegalArgumentException("fk_workflow_runs_workflow_version: workflow " + run.workflowId()
                    + " has no version " + run.workflowVersion());
        }
        if (keyTaken(run)) {
            return Optional.empty();
        }
        boolean keyed = run.idempotencyKey() != null || run.scheduledFor() != null || run.webhookDeliveryId() != null;
        if (loseNextInsertRace && keyed) {
            loseNextInsertRace = false;
            store(run, now); // the concurrent request's run, committed first
            return Optional.empty();
        }
        return Optional.of(store(run, now));
    }

    private boolean keyTaken(NewRun run) {
        Instant scheduledFor = micros(run.scheduledFor());
        return runs.values().stream().map(StoredRun::run)
                .filter(r -> r.workflowId().equals(run.workflowId()))
                .anyMatch(r -> (run.idempotencyKey() != null && run.idempotencyKey().equals(r.idempotencyKey()))
                        || (scheduledFor != null && scheduledFor.equals(r.scheduledFor()))
                        || (run.webhookDeliveryId() != null && run.webhookDeliveryId().equals(r.webhookDeliveryId())));
    }

    private WorkflowRun store(NewRun run, Instant now) {
        Instant at = micros(now);
        JsonObject input = run.input() == null ? JsonValue.EMPTY_JSON_OBJECT : run.input();
        WorkflowRun stored = new WorkflowRun(UUID.randomUUID(), run.workspaceId(), run.workflowId(),
                run.workflowVersion(), RunStatus.QUEUED, run.trigger(), input, null, null, 0, run.idempotencyKey(),
                micros(run.scheduledFor()), run.webhookDeliveryId(), run.rerunOf(), false, at, null, null, at, null,
                null);
        runs.put(stored.id(), new StoredRun(stored, run));
        return stored;
    }

    @Override
    public synchronized Optional<WorkflowRun> findRun(UUID workspaceId, UUID runId) {
        return Optional.ofNullable(runs.get(runId)).map(StoredRun::run)
                .filter(r -> r.workspaceId().equals(workspaceId));
    }

    @Override
    public synchronized Optional<WorkflowRun> findRunByIdempotencyKey(UUID workflowId, String idempotencyKey) {
        return findRunOf(workflowId, r -> idempotencyKey.equals(r.idempotencyKey()));
    }

    @Override
    public synchronized Optional<WorkflowRun> findRunByDeliveryId(UUID workflowId, String deliveryId) {
        return findRunOf(workflowId, r -> deliveryId.equals(r.webhookDeliveryId()));
    }

    @Override
    public synchronized Optional<WorkflowRun> findRunByScheduledFor(UUID workflowId, Instant scheduledFor) {
        Instant at = micros(scheduledFor);
        return findRunOf(workflowId, r -> at.equals(r.scheduledFor()));
    }

    private Optional<WorkflowRun> findRunOf(UUID workflowId, Predicate<WorkflowRun> condition) {
        return runs.values().stream().map(StoredRun::run)
                .filter(r -> r.workflowId().equals(workflowId))
                .filter(condition)
                .findFirst();
    }

    @Override
    public synchronized List<WorkflowRun> listRuns(RunQuery query) {
        boolean anyStatus = query.statuses() == null || query.statuses().isEmpty();
        return runs.values().stream().map(StoredRun::run)
                .filter(r -> r.workspaceId().equals(query.workspaceId()))
                .filter(r -> query.workflowId() == null || r.workflowId().equals(query.workflowId()))
                .filter(r -> anyStatus || query.statuses().contains(r.status()))
                .filter(r -> query.queuedFrom() == null || !r.queuedAt().isBefore(micros(query.queuedFrom())))
                .filter(r -> query.queuedBefore() == null || r.queuedAt().isBefore(micros(query.queuedBefore())))
                .filter(r -> query.before() == null || isBefore(r.queuedAt(), r.id(), query.before()))
                .sorted(newestFirst(WorkflowRun::queuedAt, WorkflowRun::id))
                .limit(query.limit() + 1L)
                .toList();
    }

    @Override
    public synchronized List<RunStep> listSteps(UUID runId) {
        return steps.values().stream()
                .filter(step -> step.runId().equals(runId))
                .sorted(Comparator.comparing(RunStep::startedAt).thenComparing(RunStep::id, PG_UUID_ORDER))
                .toList();
    }

    @Override
    public synchronized Optional<WorkflowRun> cancelRun(UUID workspaceId, UUID runId, Instant now) {
        Optional<WorkflowRun> found = findRun(workspaceId, runId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        WorkflowRun r = found.get();
        WorkflowRun changed = switch (r.status()) {
            case QUEUED -> finish(r, RunStatus.CANCELED, r.error(), micros(now));
            case RUNNING -> new WorkflowRun(r.id(), r.workspaceId(), r.workflowId(), r.workflowVersion(), r.status(),
                    r.trigger(), r.input(), r.output(), r.error(), r.attempt(), r.idempotencyKey(), r.scheduledFor(),
                    r.webhookDeliveryId(), r.rerunOf(), true, r.queuedAt(), r.startedAt(), r.finishedAt(),
                    r.nextAttemptAt(), r.leasedBy(), r.leaseExpiresAt());
            default -> r; // finished runs are left alone
        };
        runs.put(runId, runs.get(runId).with(changed));
        return Optional.of(changed);
    }

    @Override
    public synchronized Optional<TakenUnit> cancelQueuedRun(UUID workspaceId, UUID runId, Instant now) {
        Optional<WorkflowRun> found = findRun(workspaceId, runId).filter(r -> r.status() == RunStatus.QUEUED);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        WorkflowRun canceled = finish(found.get(), RunStatus.CANCELED, found.get().error(), micros(now));
        runs.put(runId, runs.get(runId).with(canceled));
        NewRun inserted = runs.get(runId).inserted();
        return inserted.quotaKind() == null ? Optional.empty()
                : Optional.of(new TakenUnit(inserted.quotaPeriodStart(), inserted.quotaKind()));
    }

    @Override
    public synchronized RunStep recordStep(UUID runId, String nodeId, RunStep.StepStatus status, int attempt,
                                           JsonObject output, String error, Instant startedAt, Instant finishedAt) {
        if (!runs.containsKey(runId)) {
            throw new IllegalArgumentException("fk_workflow_run_steps_run_id: no run " + runId);
        }
        RunStep step = new RunStep(UUID.randomUUID(), runId, nodeId, status, attempt, output, error, micros(startedAt),
                micros(finishedAt));
        steps.put(step.id(), step);
        return step;
    }

    /**
     * {@inheritDoc} An unknown run is an {@link IllegalArgumentException}; a run that already has a dead letter is an
     * {@link IllegalStateException} naming {@code uk_dead_letters_run_id}, and the run is left as it was (the JPA
     * repository's transaction rolls the status change back).
     */
    @Override
    public synchronized DeadLetter deadLetter(UUID runId, String error, String lastNodeId, Instant now) {
        StoredRun stored = runs.get(runId);
        if (stored == null) {
            throw new IllegalArgumentException("No run " + runId);
        }
        if (deadLetters.values().stream().anyMatch(letter -> letter.runId().equals(runId))) {
            throw new IllegalStateException("uk_dead_letters_run_id: run " + runId + " already has a dead letter");
        }
        Instant at = micros(now);
        WorkflowRun r = stored.run();
        runs.put(runId, stored.with(finish(r, RunStatus.DEAD_LETTERED, error, at)));
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), r.workspaceId(), r.workflowId(), runId, error, lastNodeId,
                Math.max(1, r.attempt()), at);
        deadLetters.put(letter.id(), letter);
        return letter;
    }

    // --- dead letters ---

    @Override
    public synchronized List<DeadLetter> listDeadLetters(UUID workspaceId, Keyset before, int limit) {
        return deadLetters.values().stream()
                .filter(letter -> letter.workspaceId().equals(workspaceId))
                .filter(letter -> before == null || isBefore(letter.createdAt(), letter.id(), before))
                .sorted(newestFirst(DeadLetter::createdAt, DeadLetter::id))
                .limit(limit + 1L)
                .toList();
    }

    /** Not transactional: answers like {@link #findDeadLetter}; the JPA repository holds a row lock. */
    @Override
    public synchronized Optional<DeadLetter> lockDeadLetter(UUID workspaceId, UUID deadLetterId) {
        return findDeadLetter(workspaceId, deadLetterId);
    }

    @Override
    public synchronized Optional<DeadLetter> findDeadLetter(UUID workspaceId, UUID deadLetterId) {
        return Optional.ofNullable(deadLetters.get(deadLetterId)).filter(l -> l.workspaceId().equals(workspaceId));
    }

    @Override
    public synchronized boolean deleteDeadLetter(UUID workspaceId, UUID deadLetterId) {
        return findDeadLetter(workspaceId, deadLetterId).map(letter -> deadLetters.remove(letter.id())).isPresent();
    }

    // --- schedules ---

    @Override
    public synchronized Optional<Schedule> findSchedule(UUID workspaceId, UUID workflowId) {
        return Optional.ofNullable(schedules.get(workflowId)).filter(s -> s.workspaceId().equals(workspaceId));
    }

    /**
     * {@inheritDoc} As in the JPA repository: a workflow not in {@code schedule.workspaceId()} is an
     * {@link IllegalArgumentException}; a null policy is RUN_ONCE; a null {@code lastFiredAt} keeps the stored one.
     */
    @Override
    public synchronized Schedule saveSchedule(Schedule schedule, Instant now) {
        Workflow workflow = find(schedule.workspaceId(), schedule.workflowId())
                .orElseThrow(() -> new IllegalArgumentException("No workflow " + schedule.workflowId()
                        + " in workspace " + schedule.workspaceId()));
        Instant lastFiredAt = schedule.lastFiredAt() != null ? micros(schedule.lastFiredAt())
                : Optional.ofNullable(schedules.get(workflow.id())).map(Schedule::lastFiredAt).orElse(null);
        Schedule saved = new Schedule(workflow.id(), workflow.workspaceId(), schedule.cron(), schedule.timezone(),
                schedule.missedFiringPolicy() == null ? MissedFiringPolicy.RUN_ONCE : schedule.missedFiringPolicy(),
                schedule.paused(), micros(schedule.nextRunAt()), lastFiredAt);
        schedules.put(workflow.id(), saved);
        return saved;
    }

    @Override
    public synchronized boolean deleteSchedule(UUID workspaceId, UUID workflowId) {
        if (findSchedule(workspaceId, workflowId).isEmpty()) {
            return false;
        }
        schedules.remove(workflowId);
        return true;
    }

    /**
     * {@inheritDoc} Outside a transaction this throws {@link EJBTransactionRequiredException}, as the JPA
     * repository's MANDATORY transaction attribute does. A schedule claimed here is skipped by other transactions
     * until the claiming one commits or rolls back; the claiming transaction may claim it again.
     */
    @Override
    public synchronized List<Schedule> claimDueSchedules(Instant now, int limit) {
        Object transaction = transactions.getTransactionKey();
        if (transaction == null) {
            throw new EJBTransactionRequiredException("claimDueSchedules needs the caller's transaction: "
                    + "the claimed schedules stay locked until it completes");
        }
        Instant at = micros(now);
        List<Schedule> due = schedules.values().stream()
                .filter(s -> !s.paused() && s.nextRunAt() != null && !s.nextRunAt().isAfter(at))
                .filter(s -> Optional.ofNullable(workflows.get(s.workflowId())).map(Workflow::enabled).orElse(false))
                .filter(s -> claims.getOrDefault(s.workflowId(), transaction).equals(transaction))
                .sorted(Comparator.comparing(Schedule::nextRunAt).thenComparing(Schedule::workflowId, PG_UUID_ORDER))
                .limit(limit)
                .toList();
        if (!due.isEmpty() && claimingTransactions.add(transaction)) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    releaseClaims(transaction);
                }
            });
        }
        due.forEach(s -> claims.put(s.workflowId(), transaction));
        return due;
    }

    private synchronized void releaseClaims(Object transaction) {
        claims.values().removeIf(transaction::equals);
        claimingTransactions.remove(transaction);
    }

    @Override
    public synchronized void advanceSchedule(UUID workflowId, Instant nextRunAt, Instant firedAt) {
        Schedule s = schedules.get(workflowId);
        if (s != null) {
            schedules.put(workflowId, new Schedule(s.workflowId(), s.workspaceId(), s.cron(), s.timezone(),
                    s.missedFiringPolicy(), s.paused(), micros(nextRunAt), micros(firedAt), s.lastError(), s.lastErrorAt()));
        }
    }

    @Override
    public synchronized void recordScheduleError(UUID workflowId, String error, Instant at) {
        Schedule s = schedules.get(workflowId);
        if (s != null) {
            schedules.put(workflowId, new Schedule(s.workflowId(), s.workspaceId(), s.cron(), s.timezone(),
                    s.missedFiringPolicy(), s.paused(), s.nextRunAt(), s.lastFiredAt(), error,
                    error == null ? null : micros(at)));
        }
    }

    // --- webhooks ---

    @Override
    public synchronized Optional<WebhookTrigger> findWebhook(UUID workspaceId, UUID workflowId) {
        return Optional.ofNullable(webhooks.get(workflowId)).filter(h -> h.workspaceId().equals(workspaceId));
    }

    @Override
    public synchronized Optional<WebhookTrigger> findWebhookByPublicId(String webhookId) {
        return webhooks.values().stream().filter(h -> h.webhookId().equals(webhookId)).findFirst();
    }

    /**
     * {@inheritDoc} A workflow not in {@code workspaceId} is an {@link IllegalArgumentException}; a public id another
     * workflow uses is an {@link IllegalStateException} naming {@code uk_workflow_webhooks_webhook_id}.
     */
    @Override
    public synchronized WebhookTrigger saveWebhook(UUID workspaceId, UUID workflowId, String webhookId,
                                                   String encryptedSecret, Instant now) {
        Workflow workflow = find(workspaceId, workflowId).orElseThrow(() -> new IllegalArgumentException(
                "No workflow " + workflowId + " in workspace " + workspaceId));
        boolean taken = webhooks.values().stream()
                .anyMatch(h -> h.webhookId().equals(webhookId) && !h.workflowId().equals(workflowId));
        if (taken) {
            throw new IllegalStateException("uk_workflow_webhooks_webhook_id: " + webhookId + " is taken");
        }
        WebhookTrigger saved = new WebhookTrigger(workflow.id(), workflow.workspaceId(), webhookId, encryptedSecret,
                micros(now));
        webhooks.put(workflow.id(), saved);
        return saved;
    }

    @Override
    public synchronized WebhookDelivery recordDelivery(UUID workflowId, String deliveryId, WebhookDelivery.Outcome outcome,
                                                       UUID runId, int bodyBytes, Instant now) {
        if (!workflows.containsKey(workflowId)) {
            throw new IllegalArgumentException("fk_webhook_deliveries_workflow_id: no workflow " + workflowId);
        }
        if (runId != null && !runs.containsKey(runId)) {
            throw new IllegalArgumentException("fk_webhook_deliveries_run_id: no run " + runId);
        }
        WebhookDelivery delivery = new WebhookDelivery(UUID.randomUUID(), workflowId, deliveryId, micros(now), outcome,
                runId, bodyBytes);
        deliveries.put(delivery.id(), delivery);
        return delivery;
    }

    @Override
    public synchronized List<WebhookDelivery> listDeliveries(UUID workflowId, Keyset before, int limit) {
        return deliveries.values().stream()
                .filter(d -> d.workflowId().equals(workflowId))
                .filter(d -> before == null || isBefore(d.receivedAt(), d.id(), before))
                .sorted(newestFirst(WebhookDelivery::receivedAt, WebhookDelivery::id))
                .limit(limit + 1L)
                .toList();
    }

    // --- retention ---

    /**
     * {@inheritDoc} The workspaces' tiers come from the {@link WorkspaceRepository} of the archive (a workspace it
     * does not know is on no tier). Deliveries of a pruned run keep their row without the run, as
     * {@code ON DELETE SET NULL} does.
     */
    @Override
    public synchronized int pruneRuns(PlanTier tier, Instant cutoff, int batchSize) {
        Instant at = micros(cutoff);
        Set<UUID> lettered = new HashSet<>();
        deadLetters.values().forEach(letter -> lettered.add(letter.runId()));
        Map<UUID, Optional<PlanTier>> tiers = new HashMap<>();
        List<UUID> doomed = runs.values().stream().map(StoredRun::run)
                .filter(r -> FINISHED.contains(r.status()) && r.queuedAt().isBefore(at) && !lettered.contains(r.id()))
                .filter(r -> tiers.computeIfAbsent(r.workspaceId(), id -> workspaces.get().getPlan(id))
                        .filter(tier::equals).isPresent())
                .sorted(Comparator.comparing(WorkflowRun::queuedAt).thenComparing(WorkflowRun::id, PG_UUID_ORDER))
                .limit(batchSize)
                .map(WorkflowRun::id)
                .toList();
        Set<UUID> ids = Set.copyOf(doomed);
        steps.values().removeIf(step -> ids.contains(step.runId()));
        runs.keySet().removeAll(ids);
        deliveries.replaceAll((id, d) -> d.runId() != null && ids.contains(d.runId())
                ? new WebhookDelivery(d.id(), d.workflowId(), d.deliveryId(), d.receivedAt(), d.outcome(), null,
                d.bodyBytes())
                : d);
        return doomed.size();
    }

    @Override
    public synchronized int pruneDeliveries(Instant cutoff, int batchSize) {
        Instant at = micros(cutoff);
        List<UUID> doomed = deliveries.values().stream()
                .filter(d -> d.receivedAt().isBefore(at))
                .sorted(Comparator.comparing(WebhookDelivery::receivedAt))
                .limit(batchSize)
                .map(WebhookDelivery::id)
                .toList();
        deliveries.keySet().removeAll(doomed);
        return doomed.size();
    }

    // --- shared ---

    private void putVersion(WorkflowVersion version) {
        versions.put(new VersionKey(version.workflowId(), version.number()), version);
    }

    private JsonObject currentDefinition(Workflow workflow) {
        return versions.get(new VersionKey(workflow.id(), workflow.currentVersion())).definition();
    }

    private static RetryPolicy retry(WorkflowSettings settings) {
        return settings.retryPolicy() == null ? RetryPolicy.DEFAULT : settings.retryPolicy();
    }

    private static WorkflowRun finish(WorkflowRun r, RunStatus status, String error, Instant at) {
        return new WorkflowRun(r.id(), r.workspaceId(), r.workflowId(), r.workflowVersion(), status, r.trigger(),
                r.input(), r.output(), error, r.attempt(), r.idempotencyKey(), r.scheduledFor(), r.webhookDeliveryId(),
                r.rerunOf(), r.cancelRequested(), r.queuedAt(), r.startedAt(), at, r.nextAttemptAt(), r.leasedBy(),
                r.leaseExpiresAt());
    }

    /** (at, id) strictly after the keyset position, in ascending order. */
    private static boolean isAfter(Instant at, UUID id, Keyset position) {
        int byTime = at.compareTo(position.at());
        return byTime > 0 || (byTime == 0 && PG_UUID_ORDER.compare(id, position.id()) > 0);
    }

    /** (at, id) strictly before the keyset position, for lists in descending order. */
    private static boolean isBefore(Instant at, UUID id, Keyset position) {
        int byTime = at.compareTo(position.at());
        return byTime < 0 || (byTime == 0 && PG_UUID_ORDER.compare(id, position.id()) < 0);
    }

    private static <T> Comparator<T> newestFirst(Function<T, Instant> time, Function<T, UUID> id) {
        return Comparator.comparing(time).thenComparing(id, PG_UUID_ORDER).reversed();
    }

    /** What {@code timestamptz} keeps: microseconds, rounded half up as PostgreSQL and its JDBC driver do. */
    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
    }
}
