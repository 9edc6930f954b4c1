package dev.flowline.runs;

import dev.flowline.runs.ChildRunRepository.CallChain;
import dev.flowline.runs.ChildRunRepository.ChildRun;
import dev.flowline.workflows.Workflow;
import dev.flowline.workspaces.RunQuotaService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Child runs for the engine's {@code flow.call} and {@code flow.forEach} nodes: started like any run (a quota unit
 * and the run in one transaction, {@link RunLauncher}), once per {@link ChildOf} key however often the node runs
 * again; read back by the node; canceled with everything below them. A child's end wakes its parent in the same
 * transaction (a trigger of migration 0035), whichever path ends it.
 */
@ApplicationScoped
@Transactional
public class ChildRunService {

    @Inject
    ChildRunRepository children;

    @Inject
    RunRepository runs;

    @Inject
    RunLauncher launcher;

    @Inject
    RunQuotaService quotas;

    /** The child of {@code key}, started with {@code input} on the target's current version unless it exists. */
    public CreateWorkflowRunOutcome start(Workflow target, JsonObject input, ChildOf key) {
        return launcher.launch(target, RunRequest.call(target.currentVersion(), input, key));
    }

    public List<ChildRun> children(UUID parentRunId, String nodeId, int parentAttempt) {
        return children.listChildren(parentRunId, nodeId, parentAttempt);
    }

    public Map<Integer, JsonObject> childOutputs(UUID parentRunId, String nodeId, int parentAttempt) {
        return children.childOutputs(parentRunId, nodeId, parentAttempt);
    }

    public CallChain callChain(UUID runId) {
        return children.callChain(runId);
    }

    /** The node's try number: 1 + its FAILED steps in the run (a retry of the node is a new try). */
    public int nodeTry(UUID runId, String nodeId) {
        return children.failedSteps(runId, nodeId) + 1;
    }

    /**
     * Cancels the run and every unfinished run below it, the lower ones first: queued ones at once (a unit of one
     * that never started is given back), running ones marked for the engine to stop. Answers the run afterwards.
     */
    public Optional<WorkflowRun> cancel(UUID workspaceId, UUID runId, Instant now) {
        children.cancelDescendants(workspaceId, runId, now)
                .forEach(unit -> quotas.release(workspaceId, unit.periodStart(), unit.kind()));
        runs.cancelQueuedRun(workspaceId, runId, now)
                .ifPresent(unit -> quotas.release(workspaceId, unit.periodStart(), unit.kind()));
        return runs.cancelRun(workspaceId, runId, now);
    }
}
