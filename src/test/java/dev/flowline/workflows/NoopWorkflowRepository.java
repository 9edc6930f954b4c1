package dev.flowline.workflows;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.runs.DeadLetter;
import dev.flowline.runs.NewRun;
import dev.flowline.runs.RunQuery;
import dev.flowline.runs.RunStep;
import dev.flowline.runs.TakenUnit;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.workspaces.PlanTier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link WorkflowRepository} that stores nothing: for tests of other areas that must not touch workflows. Reads
 * find nothing (so the scheduler claims nothing and the retention job prunes nothing), changes of existing rows
 * change nothing (no such workflow, run, dead letter or schedule), and the writes that would have to store something
 * throw {@link UnsupportedOperationException} saying so: a test that gets there needs
 * {@link InMemoryWorkflowRepository} instead. Deploy one of the two, never both.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class NoopWorkflowRepository implements WorkflowRepository {

    private static UnsupportedOperationException doesNotStore(String what) {
        return new UnsupportedOperationException(
                "NoopWorkflowRepository does not store " + what + "; use InMemoryWorkflowRepository");
    }

    // --- workflows and versions ---

    @Override
    public Workflow create(UUID workspaceId, WorkflowSettings settings, UUID createdBy, Instant now) {
        throw doesNotStore("workflows");
    }

    @Override
    public Optional<Workflow> find(UUID workspaceId, UUID workflowId) {
        return Optional.empty();
    }

    @Override
    public List<Workflow> list(UUID workspaceId, Keyset after, int limit) {
        return List.of();
    }

    @Override
    public Optional<Workflow> update(UUID workspaceId, UUID workflowId, WorkflowSettings settings, long expectedVersion,
                                     UUID updatedBy, Instant now) {
        return Optional.empty();
    }

    @Override
    public boolean delete(UUID workspaceId, UUID workflowId) {
        return false;
    }

    @Override
    public List<WorkflowVersion> listVersions(UUID workflowId, Integer beforeNumber, int limit) {
        return List.of();
    }

    @Override
    public Optional<WorkflowVersion> findVersion(UUID workflowId, int number) {
        return Optional.empty();
    }

    @Override
    public Optional<Workflow> restoreVersion(UUID workspaceId, UUID workflowId, int number, String triggerType,
                                             Long expectedVersion, UUID restoredBy, Instant now) {
        return Optional.empty();
    }

    // --- runs ---

    @Override
    public Optional<WorkflowRun> insertRun(NewRun run, Instant now) {
        throw doesNotStore("runs");
    }

    @Override
    public Optional<WorkflowRun> findRun(UUID workspaceId, UUID runId) {
        return Optional.empty();
    }

    @Override
    public Optional<WorkflowRun> findRunByIdempotencyKey(UUID workflowId, String idempotencyKey) {
        return Optional.empty();
    }

    @Override
    public Optional<WorkflowRun> findRunByDeliveryId(UUID workflowId, String deliveryId) {
        return Optional.empty();
    }

    @Override
    public Optional<WorkflowRun> findRunByScheduledFor(UUID workflowId, Instant scheduledFor) {
        return Optional.empty();
    }

    @Override
    public List<WorkflowRun> listRuns(RunQuery query) {
        return List.of();
    }

    @Override
    public List<RunStep> listSteps(UUID runId) {
        return List.of();
    }

    @Override
    public Optional<WorkflowRun> cancelRun(UUID workspaceId, UUID runId, Instant now) {
        return Optional.empty();
    }

    @Override
    public Optional<TakenUnit> cancelQueuedRun(UUID workspaceId, UUID runId, Instant now) {
        return Optional.empty();
    }

    @Override
    public RunStep recordStep(UUID runId, String nodeId, RunStep.StepStatus status, int attempt, JsonObject output,
                              String error, Instant startedAt, Instant finishedAt) {
        throw doesNotStore("run steps");
    }

    @Override
    public DeadLetter deadLetter(UUID runId, String error, String lastNodeId, Instant now) {
        throw doesNotStore("dead letters");
    }

    // --- dead letters ---

    @Override
    public List<DeadLetter> listDeadLetters(UUID workspaceId, Keyset before, int limit) {
        return List.of();
    }

    @Override
    public Optional<DeadLetter> lockDeadLetter(UUID workspaceId, UUID deadLetterId) {
        return Optional.empty();
    }

    @Override
    public Optional<DeadLetter> findDeadLetter(UUID workspaceId, UUID deadLetterId) {
        return Optional.empty();
    }

    @Override
    public boolean deleteDeadLetter(UUID workspaceId, UUID deadLetterId) {
        return false;
    }

    // --- schedules ---

    @Override
    public Optional<Schedule> findSchedule(UUID workspaceId, UUID workflowId) {
        return Optional.empty();
    }

    @Override
    public Schedule saveSchedule(Schedule schedule, Instant now) {
        throw doesNotStore("schedules");
    }

    @Override
    public boolean deleteSchedule(UUID workspaceId, UUID workflowId) {
        return false;
    }

    @Override
    public List<Schedule> claimDueSchedules(Instant now, int limit) {
        return List.of();
    }

    @Override
    public void advanceSchedule(UUID workflowId, Instant nextRunAt, Instant firedAt) {
        // no schedule: nothing to advance, as for an unknown workflow in the JPA repository
    }

    @Override
    public void recordScheduleError(UUID workflowId, String error, Instant at) {
        // no schedule: nothing to record
    }

    // --- webhooks ---

    @Override
    public Optional<WebhookTrigger> findWebhook(UUID workspaceId, UUID workflowId) {
        return Optional.empty();
    }

    @Override
    public Optional<WebhookTrigger> findWebhookByPublicId(String webhookId) {
        return Optional.empty();
    }

    @Override
    public WebhookTrigger saveWebhook(UUID workspaceId, UUID workflowId, String webhookId, String encryptedSecret,
                                      Instant now) {
        throw doesNotStore("webhooks");
    }

    @Override
    public WebhookDelivery recordDelivery(UUID workflowId, String deliveryId, WebhookDelivery.Outcome outcome,
                                          UUID runId, int bodyBytes, Instant now) {
        throw doesNotStore("webhook deliveries");
    }

    @Override
    public List<WebhookDelivery> listDeliveries(UUID workflowId, Keyset before, int limit) {
        return List.of();
    }

    // --- retention ---

    @Override
    public int pruneRuns(PlanTier tier, Instant cutoff, int batchSize) {
        return 0;
    }

    @Override
    public int pruneDeliveries(Instant cutoff, int batchSize) {
        return 0;
    }
}
