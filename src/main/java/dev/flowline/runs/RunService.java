package dev.flowline.runs;

import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.pagination.Page;
import dev.flowline.runs.RunErrors.RunNotFoundException;
import dev.flowline.workflows.Workflow;
import dev.flowline.workflows.WorkflowErrors.WorkflowDisabledException;
import dev.flowline.workflows.WorkflowErrors.WorkflowNotFoundException;
import dev.flowline.workflows.WorkflowRepository;
import dev.flowline.workspaces.RunQuotaService;
import dev.flowline.workspaces.VerifiedEmail;
import dev.flowline.workspaces.WorkspaceAccess;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Runs as people see them: start one by hand (with an optional Idempotency-Key), list, read with steps, cancel,
 * rerun. Members run; viewers read.
 */
@ApplicationScoped
@Transactional
public class RunService {

    /** Reads of a run detail before answering with the last one even if the engine moved it meanwhile. */
    private static final int CONSISTENT_READ_ATTEMPTS = 3;

    private static final int MAX_IDEMPOTENCY_KEY = 255;

    @Inject
    WorkflowRepository workflows;

    @Inject
    RunRepository runs;

    @Inject
    WorkspaceAccess access;

    @Inject
    RunLauncher launcher;

    @Inject
    ChildRunService children;

    @Inject
    RunQuotaService quotas;

    @Inject
    VerifiedEmail verifiedEmail;

    @Inject
    Clock clock;

    @Inject
    Event<RunActivity> activity;

    public CreateWorkflowRunOutcome start(UUID workspaceId, UUID workflowId, UUID userId, JsonObject input,
                                          String idempotencyKey) {
        access.require(workspaceId, userId, WorkspaceRole.MEMBER);
        verifiedEmail.require(userId, VerifiedEmail.TO_START_RUNS);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
            throw new InvalidInputException("Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters.");
        }
        Workflow workflow = runnable(workspaceId, workflowId);
        CreateWorkflowRunOutcome outcome = launcher.launch(workflow,
                RunRequest.manual(workflow.currentVersion(), input, idempotencyKey, userId));
        if (outcome instanceof CreateWorkflowRunOutcome.Created created) {
            activity.fire(RunActivity.started(userId, created.run()));
        }
        return outcome;
    }

    public Page<WorkflowRun> list(UUID workspaceId, UUID workflowId, UUID userId, Set<RunStatus> statuses,
                                  Instant from, Instant to, String cursor, Integer limit) {
        return list(workspaceId, workflowId, null, userId, statuses, from, to, cursor, limit);
    }

    /**
     * {@code parentRunId} (nullable): only the runs that run started. A run of another workspace is not looked
     * up: the filter is applied within the caller's workspace, so it yields nothing.
     */
    public Page<WorkflowRun> list(UUID workspaceId, UUID workflowId, UUID parentRunId, UUID userId,
                                  Set<RunStatus> statuses, Instant from, Instant to, String cursor, Integer limit) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        if (workflowId != null) {
            workflows.find(workspaceId, workflowId).orElseThrow(WorkflowNotFoundException::new);
        }
        int size = Keyset.limit(limit);
        return Keyset.page(runs.listRuns(new RunQuery(workspaceId, workflowId, statuses, from, to,
                Keyset.decode(cursor), size, parentRunId)), size, run -> new Keyset(run.queuedAt(), run.id()));
    }

    /**
     * The run and its first steps, as one moment. Each statement sees what was committed when it began (READ
     * COMMITTED) and the engine commits a step with the run's new status, so a step list read between two reads of
     * an unchanged run belongs to that run state; when the run changed in between, read again. Without this a poll
     * could see a delay's step on a run still RUNNING, or a dead-lettered run without its failed step.
     */
    public RunDetail get(UUID workspaceId, UUID runId, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        WorkflowRun run = runs.findRun(workspaceId, runId).orElseThrow(RunNotFoundException::new);
        for (int attempt = 1; ; attempt++) {
            Page<RunStep> steps = stepsPage(runId, null, RunDetail.EMBEDDED_STEPS);
            WorkflowRun after = runs.findRun(workspaceId, runId).orElseThrow(RunNotFoundException::new);
            if (after.equals(run) || attempt == CONSISTENT_READ_ATTEMPTS) {
                return new RunDetail(after, steps.items(), steps.nextCursor());
            }
            run = after;
        }
    }

    /** A run's steps in the order they started, in keyset pages. */
    public Page<RunStep> steps(UUID workspaceId, UUID runId, UUID userId, String cursor, Integer limit) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        runs.findRun(workspaceId, runId).orElseThrow(RunNotFoundException::new);
        return stepsPage(runId, Keyset.decode(cursor), Keyset.limit(limit));
    }

    private Page<RunStep> stepsPage(UUID runId, Keyset after, int limit) {
        return Keyset.page(runs.listSteps(runId, after, limit), limit, step -> new Keyset(step.startedAt(), step.id()));
    }

    /**
     * A queued run is canceled at once and gives its quota unit back (it never ran); a running one is marked for
     * the engine to stop, and counts. The same, in the same transaction, for every unfinished run below it (child
     * runs of its {@code flow.call} and {@code flow.forEach} nodes, and theirs), which go first (see
     * {@link ChildRunRepository#cancelDescendants} for why): {@link ChildRunService#cancel}.
     */
    public WorkflowRun cancel(UUID workspaceId, UUID runId, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.MEMBER);
        WorkflowRun before = runs.findRun(workspaceId, runId).orElseThrow(RunNotFoundException::new);
        WorkflowRun run = children.cancel(workspaceId, runId, clock.instant()).orElseThrow(RunNotFoundException::new);
        if (run.status() != before.status() || run.cancelRequested() != before.cancelRequested()) {
            // a finished run, or one already asked to stop, is left as it was: nothing to record
            activity.fire(RunActivity.canceled(userId, run));
        }
        return run;
    }

    /** A new run of the same workflow version with the same input. */
    public CreateWorkflowRunOutcome rerun(UUID workspaceId, UUID runId, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.MEMBER);
        verifiedEmail.require(userId, VerifiedEmail.TO_START_RUNS);
        WorkflowRun original = runs.findRun(workspaceId, runId).orElseThrow(RunNotFoundException::new);
        Workflow workflow = runnable(workspaceId, original.workflowId());
        CreateWorkflowRunOutcome outcome = launcher.launch(workflow, RunRequest.rerun(original, userId));
        if (outcome instanceof CreateWorkflowRunOutcome.Created created) {
            activity.fire(RunActivity.rerun(userId, original, created.run()));
        }
        return outcome;
    }

    private Workflow runnable(UUID workspaceId, UUID workflowId) {
        Workflow workflow = workflows.find(workspaceId, workflowId).orElseThrow(WorkflowNotFoundException::new);
        if (!workflow.enabled()) {
            throw new WorkflowDisabledException();
        }
        return workflow;
    }
}
