package dev.flowline.runs;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.workflows.InMemoryWorkflowDeleted;
import dev.flowline.workflows.InMemoryWorkflowRepository;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.WorkspaceRepository;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static dev.flowline.testing.InMemoryRows.micros;
import static dev.flowline.testing.InMemoryRows.oldestFirst;
import static dev.flowline.testing.InMemoryRows.pageAfter;
import static dev.flowline.testing.InMemoryRows.pageBefore;

/**
 * {@link RunRepository} in memory, above {@link InMemoryWorkflowRepository} (a run is of a stored workflow version).
 * Mirrors {@code JpaRunRepository} (and the schema's constraints) where callers can tell the difference:
 * <ul>
 *   <li>a run is read by id only with its workspace, so another workspace finds nothing;</li>
 *   <li>an idempotency key, a scheduled time and a webhook delivery id each make at most one run per workflow:
 *       {@link #insertRun} answers empty for a taken key, as {@code INSERT ... ON CONFLICT DO NOTHING} does;</li>
 *   <li>runs are listed newest first by (queued_at, id) in keyset pages of {@code limit + 1} rows;</li>
 *   <li>canceling cancels a QUEUED run, flags a RUNNING one and leaves finished ones alone;</li>
 *   <li>a run of a workflow version that does not exist, or a step of a run that does not exist, is an exception
 *       naming the foreign key, as the database's would;</li>
 *   <li>deleting the workflow deletes its runs and their steps ({@link InMemoryWorkflowDeleted}, the foreign keys'
 *       cascade); retention's deletions are announced by {@link InMemoryRunsPruned} for the rows that refer to a run
 *       ({@code ON DELETE SET NULL}).</li>
 * </ul>
 * Times are rounded to microseconds, ties of time broken in PostgreSQL's uuid order
 * ({@link dev.flowline.testing.InMemoryRows}).
 *
 * <p>Not transactional: a write takes effect at once and a rollback does not undo it. Every method is synchronized,
 * which gives the atomicity of the single statements the JPA repository runs. Test helpers: {@link #clear()},
 * {@link #runs()}, {@link #allRuns()}, {@link #insertedAs}, {@link #setRunStatus}, {@link #loseNextInsertRace()}
 * (a concurrent request that wins a run's key), and {@link #exists} for the doubles above that check a foreign key.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class InMemoryRunRepository implements RunRepository {

    private static final Set<RunStatus> FINISHED = Set.of(RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELED,
            RunStatus.DEAD_LETTERED);

    /** A run with the columns {@link WorkflowRun} does not show (quota unit, requester): what was inserted. */
    private record StoredRun(WorkflowRun run, NewRun inserted) {
        StoredRun with(WorkflowRun changed) {
            return new StoredRun(changed, inserted);
        }
    }

    @Inject
    InMemoryWorkflowRepository workflows;

    /** Asked only by {@link #pruneRuns}, for the workspaces' plan tiers (the JPA query joins {@code workspaces}). */
    @Inject
    Instance<WorkspaceRepository> workspaces;

    @Inject
    Event<InMemoryRunsPruned> pruned;

    private final Map<UUID, StoredRun> runs = new LinkedHashMap<>();
    private final Map<UUID, RunStep> steps = new LinkedHashMap<>();
    /** Runs with an open dead letter, which retention keeps (filed by {@link InMemoryDeadLetterRepository}). */
    private final Set<UUID> lettered = new HashSet<>();
    private boolean loseNextInsertRace;

    // --- test helpers ---

    /** Forgets every run and step, and an armed {@link #loseNextInsertRace()}. */
    public synchronized void clear() {
        runs.clear();
        steps.clear();
        lettered.clear();
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

    /** Whether the run exists, in any workspace: what a foreign key to {@code workflow_runs} sees. */
    public synchronized boolean exists(UUID runId) {
        return runs.containsKey(runId);
    }

    /**
     * Sets a run's status as the engine would: RUNNING starts it (attempt at least 1, started at {@code at}); a
     * finished status finishes it at {@code at}; QUEUED requeues it (due at {@code at}).
     */
    public synchronized WorkflowRun setRunStatus(UUID runId, RunStatus status, Instant at) {
        StoredRun stored = stored(runId);
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

    /**
     * Simulates losing an insert race once: the next {@link #insertRun} of a run with a uniqueness key finds that a
     * concurrent request inserted a run with the same key first. That other run is stored (so the finders find it)
     * and the insert answers empty, as {@code ON CONFLICT DO NOTHING} does when the other transaction commits first.
     */
    public synchronized void loseNextInsertRace() {
        loseNextInsertRace = true;
    }

    // --- for the dead-letter double (the runs area's other table) ---

    /**
     * Moves the run to DEAD_LETTERED, finished at {@code at} with {@code error}, and keeps it from retention while its
     * dead letter is open. An unknown run is an {@link IllegalArgumentException}.
     */
    synchronized WorkflowRun deadLettered(UUID runId, String error, Instant at) {
        StoredRun stored = stored(runId);
        WorkflowRun changed = finish(stored.run(), RunStatus.DEAD_LETTERED, error, micros(at));
        runs.put(runId, stored.with(changed));
        lettered.add(runId);
        return changed;
    }

    /** The run's dead letter was requeued or discarded: retention may delete the run again. */
    synchronized void letterClosed(UUID runId) {
        lettered.remove(runId);
    }

    /** The workflow's deletion cascades to its runs and their steps. */
    synchronized void onWorkflowDeleted(@Observes InMemoryWorkflowDeleted deleted) {
        Set<UUID> runIds = new HashSet<>();
        runs.values().removeIf(stored -> {
            boolean ofWorkflow = stored.run().workflowId().equals(deleted.workflowId());
            if (ofWorkflow) {
                runIds.add(stored.run().id());
            }
            return ofWorkflow;
        });
        steps.values().removeIf(step -> runIds.contains(step.runId()));
        lettered.removeAll(runIds);
    }

    // --- runs ---

    @Override
    public synchronized Optional<WorkflowRun> insertRun(NewRun run, Instant now) {
        if (workflows.findVersion(run.workflowId(), run.workflowVersion()).isEmpty()) {
            throw new IllegalArgumentException("fk_workflow_runs_workflow_version: workflow " + run.workflowId()
                    + " has no version " + run.workflowVersion());
        }
        if (keyTaken(run)) {
            return Optional.empty();
        }
        boolean keyed = run.idempotencyKey() != null || run.scheduledFor() != null || run.webhookDeliveryId() != null
                || run.webhookRequestHash() != null;
        if (loseNextInsertRace && keyed) {
            loseNextInsertRace = false;
            store(run, now); // the concurrent request's run, committed first
            return Optional.empty();
        }
        return Optional.of(store(run, now));
    }

    private boolean keyTaken(NewRun run) {
        Instant scheduledFor = micros(run.scheduledFor());
        return runs.values().stream()
                .filter(stored -> stored.run().workflowId().equals(run.workflowId()))
                .anyMatch(stored -> {
                    WorkflowRun r = stored.run();
                    return (run.idempotencyKey() != null && run.idempotencyKey().equals(r.idempotencyKey()))
                            || (scheduledFor != null && scheduledFor.equals(r.scheduledFor()))
                            || (run.webhookDeliveryId() != null && run.webhookDeliveryId().equals(r.webhookDeliveryId()))
                            || (run.webhookRequestHash() != null
                                && run.webhookRequestHash().equals(stored.inserted().webhookRequestHash()));
                });
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
    public synchronized Optional<WorkflowRun> findRunByWebhookRequest(UUID workflowId, String requestHash) {
        return runs.values().stream()
                .filter(stored -> requestHash.equals(stored.inserted().webhookRequestHash()))
                .map(StoredRun::run)
                .filter(r -> r.workflowId().equals(workflowId))
                .findFirst();
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
        Instant from = micros(query.queuedFrom());
        Instant before = micros(query.queuedBefore());
        return pageBefore(runs.values().stream().map(StoredRun::run)
                        .filter(r -> r.workspaceId().equals(query.workspaceId()))
                        .filter(r -> query.workflowId() == null || r.workflowId().equals(query.workflowId()))
                        .filter(r -> anyStatus || query.statuses().contains(r.status()))
                        .filter(r -> from == null || !r.queuedAt().isBefore(from))
                        .filter(r -> before == null || r.queuedAt().isBefore(before)),
                WorkflowRun::queuedAt, WorkflowRun::id, query.before(), query.limit());
    }

    @Override
    public synchronized List<RunStep> listSteps(UUID runId) {
        return steps.values().stream()
                .filter(step -> step.runId().equals(runId))
                .sorted(oldestFirst(RunStep::startedAt, RunStep::id))
                .toList();
    }

    @Override
    public synchronized List<RunStep> listSteps(UUID runId, Keyset after, int limit) {
        return pageAfter(steps.values().stream().filter(step -> step.runId().equals(runId)), RunStep::startedAt,
                RunStep::id, after, limit);
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
                micros(finishedAt), null);
        steps.put(step.id(), step);
        return step;
    }

    // --- retention ---

    /**
     * {@inheritDoc} The workspaces' tiers come from the {@link WorkspaceRepository} of the archive (a workspace it
     * does not know is on no tier). Once this double let go of them, the deleted runs are announced by
     * {@link InMemoryRunsPruned}: deliveries of a pruned run keep their row without the run, as
     * {@code ON DELETE SET NULL} does.
     */
    @Override
    public int pruneRuns(PlanTier tier, Instant cutoff, int batchSize) {
        Set<UUID> ids;
        synchronized (this) {
            Instant at = micros(cutoff);
            Map<UUID, Optional<PlanTier>> tiers = new HashMap<>();
            ids = Set.copyOf(runs.values().stream().map(StoredRun::run)
                    .filter(r -> FINISHED.contains(r.status()) && r.queuedAt().isBefore(at))
                    .filter(r -> !lettered.contains(r.id()))
                    .filter(r -> tiers.computeIfAbsent(r.workspaceId(), id -> workspaces.get().getPlan(id))
                            .filter(tier::equals).isPresent())
                    .sorted(oldestFirst(WorkflowRun::queuedAt, WorkflowRun::id))
                    .limit(batchSize)
                    .map(WorkflowRun::id)
                    .toList());
            steps.values().removeIf(step -> ids.contains(step.runId()));
            runs.keySet().removeAll(ids);
        }
        if (!ids.isEmpty()) {
            pruned.fire(new InMemoryRunsPruned(ids));
        }
        return ids.size();
    }

    // --- shared ---

    private StoredRun stored(UUID runId) {
        return Optional.ofNullable(runs.get(runId))
                .orElseThrow(() -> new IllegalArgumentException("No run " + runId));
    }

    private static WorkflowRun finish(WorkflowRun r, RunStatus status, String error, Instant at) {
        return new WorkflowRun(r.id(), r.workspaceId(), r.workflowId(), r.workflowVersion(), status, r.trigger(),
                r.input(), r.output(), error, r.attempt(), r.idempotencyKey(), r.scheduledFor(), r.webhookDeliveryId(),
                r.rerunOf(), r.cancelRequested(), r.queuedAt(), r.startedAt(), at, r.nextAttemptAt(), r.leasedBy(),
                r.leaseExpiresAt());
    }
}
