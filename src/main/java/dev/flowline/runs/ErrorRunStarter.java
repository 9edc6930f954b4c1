package dev.flowline.runs;

import dev.flowline.platform.json.Jsons;
import dev.flowline.platform.persistence.ConnectionFailure;
import dev.flowline.platform.rest.FlowlineApplication;
import dev.flowline.runs.CreateWorkflowRunOutcome.AlreadyExisted;
import dev.flowline.runs.CreateWorkflowRunOutcome.Created;
import dev.flowline.runs.CreateWorkflowRunOutcome.RefusedByQuota;
import dev.flowline.workflows.Workflow;
import dev.flowline.workflows.WorkflowRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.ApplicationPath;

import java.time.Clock;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the runs of error workflows that dead letters asked for ({@link ErrorRunRepository}), one request per
 * transaction: the run is launched like any other ({@link RunLauncher}: a quota unit, the run, a claim right after the
 * commit) with the dead-lettered run's summary as input, in a transaction of its own ({@link SeparateRunLaunch}), and
 * the request marked in the request's transaction (a repeat after a crash between the two finds the run by its
 * idempotency key). A launch that fails is recorded as refused, with its exception's class. A run the
 * quota refuses, or whose error workflow is disabled, is not started: the request keeps why, and the log says it.
 */
@ApplicationScoped
public class ErrorRunStarter {

    private static final Logger LOG = Logger.getLogger(ErrorRunStarter.class.getName());
    private static final String API = FlowlineApplication.class.getAnnotation(ApplicationPath.class).value();

    @Inject
    ErrorRunRepository requests;

    @Inject
    WorkflowRepository workflows;

    @Inject
    SeparateRunLaunch launcher;

    @Inject
    Clock clock;

    /** Handles the oldest pending request; false when none was pending. */
    @Transactional
    public boolean startNext() {
        Optional<ErrorRunRequest> next = requests.lockNextPending();
        if (next.isEmpty()) {
            return false;
        }
        ErrorRunRequest request = next.get();
        Optional<Workflow> target = workflows.find(request.workspaceId(), request.errorWorkflowId());
        if (target.isEmpty()) { // deleted since: the request goes with it (cascade), unless the deletion is not committed
            refuse(request, "The error workflow is gone.");
        } else if (!target.get().enabled()) {
            refuse(request, "The error workflow " + target.get().id() + " is disabled.");
        } else {
            Workflow workflow = target.get();
            CreateWorkflowRunOutcome outcome;
            try {
                outcome = launcher.launch(workflow,
                        RunRequest.error(workflow.currentVersion(), summary(request), request.runId()));
            } catch (RuntimeException e) {
                if (ConnectionFailure.in(e)) {
                    throw e; // the database went away: the request stays pending for the next tick
                }
                // Rolled back alone. Recorded rather than retried: a request that fails the same way again would stay
                // first in line and hold back every request behind it. (With the database gone, this write fails
                // too and the request stays pending.)
                LOG.log(Level.WARNING, "The error run for the dead-lettered run " + request.runId()
                        + " could not be started", e);
                refuse(request, "The error run could not be started (" + e.getClass().getSimpleName() + ").");
                return true;
            }
            if (outcome instanceof Created created) {
                requests.markStarted(request.id(), created.run().id(), clock.instant());
            } else if (outcome instanceof AlreadyExisted existed) {
                requests.markStarted(request.id(), existed.run().id(), clock.instant());
            } else if (outcome instanceof RefusedByQuota refused) {
                refuse(request, "The workspace's run quota (" + refused.allocation()
                        + " runs this period) is used up.");
            }
        }
        return true;
    }

    private void refuse(ErrorRunRequest request, String reason) {
        LOG.warning(() -> "No error run for the dead-lettered run " + request.runId() + " of workflow "
                + request.workflowId() + " (workspace " + request.workspaceId() + "): " + reason);
        requests.markRefused(request.id(), reason, clock.instant());
    }

    /**
     * The error run's input: {@code workflowId}, {@code workflowName}, {@code runId}, {@code failedNodeId} (null when
     * the run stopped outside a node), {@code error}, {@code attempt} and {@code runUrl} (the run's API path).
     */
    static JsonObject summary(ErrorRunRequest request) {
        JsonObjectBuilder summary = Jsons.createObjectBuilder()
                .add("workflowId", request.workflowId().toString())
                .add("workflowName", request.workflowName())
                .add("runId", request.runId().toString());
        nullable(summary, "failedNodeId", request.failedNodeId());
        nullable(summary, "error", request.error());
        return summary.add("attempt", request.attempt())
                .add("runUrl", API + "/workspaces/" + request.workspaceId() + "/runs/" + request.runId())
                .build();
    }

    private static void nullable(JsonObjectBuilder builder, String name, String value) {
        if (value == null) {
            builder.addNull(name);
        } else {
            builder.add(name, value);
        }
    }
}
