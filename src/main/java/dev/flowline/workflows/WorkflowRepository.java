package dev.flowline.workflows;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.runs.DeadLetter;
import dev.flowline.runs.NewRun;
import dev.flowline.runs.RunQuery;
import dev.flowline.runs.RunStep;
import dev.flowline.runs.TakenUnit;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.workspaces.PlanTier;
import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every persistent operation on workflows and what hangs off them: versions, runs and their steps, dead letters,
 * schedules and webhooks. Implemented by {@code JpaWorkflowRepository} on PostgreSQL and by test doubles.
 * Reads of workspace-owned rows take the workspace id, so a row of another workspace is never found by id alone.
 */
public interface WorkflowRepository {

    // --- workflows and versions ---

    /** Stores the workflow and its definition as version 1. */
    Workflow create(UUID workspaceId, WorkflowSettings settings, UUID createdBy, Instant now);

    Optional<Workflow> find(UUID workspaceId, UUID workflowId);

    /** Workflows of a workspace ordered by (created_at, id), {@code limit + 1} rows after {@code after}. */
    List<Workflow> list(UUID workspaceId, Keyset after, int limit);

    /**
     * Replaces the settings if the workflow is still at {@code expectedVersion}; stores the definition as a new
     * numbered version when it differs from the current one. Empty when the workflow is gone or the version stale.
     */
    Optional<Workflow> update(UUID workspaceId, UUID workflowId, WorkflowSettings settings, long expectedVersion,
                              UUID updatedBy, Instant now);

    /** Deletes the workflow with its versions, runs, schedule and webhook (cascade). */
    boolean delete(UUID workspaceId, UUID workflowId);

    /** Versions newest first, {@code limit + 1} rows below {@code beforeNumber} (null: from the newest). */
    List<WorkflowVersion> listVersions(UUID workflowId, Integer beforeNumber, int limit);

    Optional<WorkflowVersion> findVersion(UUID workflowId, int number);

    /**
     * Makes a copy of version {@code number} the new current version (history is never rewritten) with its trigger
     * type {@code triggerType}, if the workflow is still at {@code expectedVersion} (null: any). Empty when gone,
     * stale, or the version does not exist.
     */
    Optional<Workflow> restoreVersion(UUID workspaceId, UUID workflowId, int number, String triggerType,
                                      Long expectedVersion, UUID restoredBy, Instant now);

    // --- runs ---

    /**
     * Inserts a QUEUED run, due at once. Empty when its uniqueness key (idempotency key, scheduled time or
     * webhook delivery id) already has a run: the caller then answers that run and gives its quota unit back.
     */
    Optional<WorkflowRun> insertRun(NewRun run, Instant now);

    Optional<WorkflowRun> findRun(UUID workspaceId, UUID runId);

    Optional<WorkflowRun> findRunByIdempotencyKey(UUID workflowId, String idempotencyKey);

    Optional<WorkflowRun> findRunByDeliveryId(UUID workflowId, String deliveryId);

    /** The run a schedule firing for {@code scheduledFor} created. */
    Optional<WorkflowRun> findRunByScheduledFor(UUID workflowId, Instant scheduledFor);

    /** Runs newest first by (queued_at, id), {@code limit + 1} rows. */
    List<WorkflowRun> listRuns(RunQuery query);

    /** A run's steps in the order they started. */
    List<RunStep> listSteps(UUID runId);

    /**
     * Cancels a QUEUED run at once (CANCELED, finished now) or marks a RUNNING one cancel-requested for the
     * engine; finished runs are left alone. Answers the run as it is afterwards, or empty when not found.
     */
    Optional<WorkflowRun> cancelRun(UUID workspaceId, UUID runId, Instant now);

    /**
     * Cancels a QUEUED run (CANCELED, finished now) in one guarded statement and answers the quota unit it had
     * taken, for the caller to give back: a run canceled before it ran does not count. Empty when the run is not
     * (or no longer) queued, or took no unit; so two concurrent cancels give the unit back once.
     */
    Optional<TakenUnit> cancelQueuedRun(UUID workspaceId, UUID runId, Instant now);

    /** Records a step (the engine's; tests use it to build histories). */
    RunStep recordStep(UUID runId, String nodeId, RunStep.StepStatus status, int attempt, JsonObject output,
                       String error, Instant startedAt, Instant finishedAt);

    /**
     * Moves a run whose retries are exhausted to DEAD_LETTERED and files its dead letter, in one transaction
     * (the engine's; tests use it until the engine exists).
     */
    DeadLetter deadLetter(UUID runId, String error, String lastNodeId, Instant now);

    // --- dead letters ---

    /** Dead letters newest first by (created_at, id), {@code limit + 1} rows. */
    List<DeadLetter> listDeadLetters(UUID workspaceId, Keyset before, int limit);

    Optional<DeadLetter> findDeadLetter(UUID workspaceId, UUID deadLetterId);

    /**
     * The dead letter under a row lock held until the caller's transaction ends, so that two requeues of one letter
     * cannot both start a run: the second waits, then finds it gone.
     */
    Optional<DeadLetter> lockDeadLetter(UUID workspaceId, UUID deadLetterId);

    /** Removes the dead letter (requeued or discarded); its run keeps its DEAD_LETTERED history. */
    boolean deleteDeadLetter(UUID workspaceId, UUID deadLetterId);

    // --- schedules ---

    Optional<Schedule> findSchedule(UUID workspaceId, UUID workflowId);

    /** Creates or replaces the workflow's schedule. */
    Schedule saveSchedule(Schedule schedule, Instant now);

    boolean deleteSchedule(UUID workspaceId, UUID workflowId);

    /**
     * Due, unpaused schedules of enabled workflows (next_run_at at or before {@code now}), oldest first, locked
     * with {@code FOR UPDATE SKIP LOCKED}: call inside a transaction and {@link #advanceSchedule} each before it
     * commits. Concurrent callers (instances) get disjoint sets.
     */
    List<Schedule> claimDueSchedules(Instant now, int limit);

    void advanceSchedule(UUID workflowId, Instant nextRunAt, Instant firedAt);

    /** Records why a firing made no run; {@code null} clears a recorded error. */
    void recordScheduleError(UUID workflowId, String error, Instant at);

    // --- webhooks ---

    Optional<WebhookTrigger> findWebhook(UUID workspaceId, UUID workflowId);

    Optional<WebhookTrigger> findWebhookByPublicId(String webhookId);

    /** Creates the workflow's webhook or replaces its id and secret (rotation). */
    WebhookTrigger saveWebhook(UUID workspaceId, UUID workflowId, String webhookId, String encryptedSecret, Instant now);

    WebhookDelivery recordDelivery(UUID workflowId, String deliveryId, WebhookDelivery.Outcome outcome, UUID runId,
                                   int bodyBytes, Instant now);

    /** Deliveries newest first by (received_at, id), {@code limit + 1} rows. */
    List<WebhookDelivery> listDeliveries(UUID workflowId, Keyset before, int limit);

    // --- retention ---

    /**
     * Deletes up to {@code batchSize} finished runs (steps first) queued before {@code cutoff} in workspaces on
     * {@code tier}, skipping rows locked by others and runs with an open dead letter. Answers how many were deleted;
     * call again while it answers {@code batchSize}.
     */
    int pruneRuns(PlanTier tier, Instant cutoff, int batchSize);

    /** Deletes up to {@code batchSize} webhook deliveries received before {@code cutoff}. */
    int pruneDeliveries(Instant cutoff, int batchSize);
}
