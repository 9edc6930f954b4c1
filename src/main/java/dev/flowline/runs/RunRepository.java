package dev.flowline.runs;

import dev.flowline.platform.pagination.Keyset;

import dev.flowline.workspaces.PlanTier;
import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs and their steps: insertion under a uniqueness key, lookups, lists, cancellation and retention. Implemented by
 * {@code JpaRunRepository} on PostgreSQL and by test doubles. Reads take the workspace id where a caller names a run,
 * so a run of another workspace is never found by id alone.
 */
public interface RunRepository {

    /**
     * Inserts a QUEUED run, due at once. Empty when its uniqueness key (idempotency key, scheduled time or
     * webhook delivery id) already has a run: the caller then answers that run and gives its quota unit back.
     */
    Optional<WorkflowRun> insertRun(NewRun run, Instant now);

    /**
     * {@link #insertRun} for a run whose worker is already reserved: inserted RUNNING, leased to {@code holder} until
     * {@code leaseUntil} (its first attempt, started now), when its workflow has room at once: enabled, under its
     * {@code concurrencyLimit} of runs running under a live lease, no older run of it due and waiting, and its row
     * not locked by a claim or another accept (never waited for). The workflow's room is counted as the claim counts
     * it, so the limit stays exact under concurrent accepts and claims. Otherwise QUEUED, as {@link #insertRun}.
     * A store that cannot lease at insert (a test double) always queues.
     */
    default Optional<WorkflowRun> insertRun(NewRun run, Instant now, String holder, Instant leaseUntil) {
        return insertRun(run, now);
    }

    Optional<WorkflowRun> findRun(UUID workspaceId, UUID runId);

    Optional<WorkflowRun> findRunByIdempotencyKey(UUID workflowId, String idempotencyKey);

    Optional<WorkflowRun> findRunByDeliveryId(UUID workflowId, String deliveryId);

    /** The webhook run started by the signed request with this hash (of its timestamp and body). */
    Optional<WorkflowRun> findRunByWebhookRequest(UUID workflowId, String requestHash);

    /** The run a schedule firing for {@code scheduledFor} created. */
    Optional<WorkflowRun> findRunByScheduledFor(UUID workflowId, Instant scheduledFor);

    /** Runs newest first by (queued_at, id), {@code limit + 1} rows. */
    List<WorkflowRun> listRuns(RunQuery query);

    /** A run's steps in the order they started, all of them (the engine resuming a run). */
    List<RunStep> listSteps(UUID runId);

    /** A page of a run's steps in the order they started, after {@code after} (by (started_at, id)), {@code limit + 1} rows. */
    List<RunStep> listSteps(UUID runId, Keyset after, int limit);

    /**
     * Cancels a QUEUED run at once (CANCELED, finished now) or marks a RUNNING one cancel-requested for the
     * engine; finished runs are left alone. Answers the run as it is afterwards, or empty when not found.
     */
    Optional<WorkflowRun> cancelRun(UUID workspaceId, UUID runId, Instant now);

    /**
     * Cancels a QUEUED run (CANCELED, finished now) in one guarded statement and answers the quota unit it had
     * taken, for the caller to give back: a run canceled before it ran does not count. Empty when the run is not
     * (or no longer) queued, took no unit, or already started (it waits out a delay or a retry: its unit counts); so
     * two concurrent cancels give the unit back once.
     */
    Optional<TakenUnit> cancelQueuedRun(UUID workspaceId, UUID runId, Instant now);

    /** Records a step (the engine's; tests use it to build histories). */
    RunStep recordStep(UUID runId, String nodeId, RunStep.StepStatus status, int attempt, JsonObject output,
                       String error, Instant startedAt, Instant finishedAt);

    /**
     * Deletes up to {@code batchSize} finished runs (steps first) queued before {@code cutoff} in workspaces on
     * {@code tier}, skipping rows locked by others and runs with an open dead letter. Answers how many were deleted;
     * call again while it answers {@code batchSize}.
     */
    int pruneRuns(PlanTier tier, Instant cutoff, int batchSize);
}
