package dev.flowline.runs;

import dev.flowline.runs.CreateWorkflowRunOutcome.AlreadyExisted;
import dev.flowline.runs.CreateWorkflowRunOutcome.Created;
import dev.flowline.runs.CreateWorkflowRunOutcome.RefusedByQuota;
import dev.flowline.platform.tracing.Tracing;
import dev.flowline.workflows.Workflow;
import dev.flowline.workspaces.RunConsumption;
import dev.flowline.workspaces.RunQuotaService;
import dev.flowline.workspaces.RunQuotaService.RunUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Creates runs for every trigger (manual, webhook, schedule, requeue, rerun) the same way, in one transaction: a quota
 * unit is taken and the run inserted; if the insert finds the run's key taken (a repeated request, or a concurrent
 * one that won), the unit is given back and that run answered. A repeated request whose unit is refused still answers
 * its earlier run. Repeats are rare, so the common path does not look for them first (one statement fewer).
 *
 * <p>Hand-off: when this instance has a free worker, it is reserved first and the run is inserted already leased to it
 * if its workflow has room ({@link RunRepository#insertRun(NewRun, Instant, String, Instant)}); the worker starts it
 * once the transaction commits, with no claim statement (one commit fewer per run) and no wake-up. Otherwise the run
 * is queued and the engine is asked to claim ({@link RunQueued}), as before. If the instance dies between the commit
 * and the start, the lease expires and the run is claimed again: nothing is lost.
 */
@ApplicationScoped
@Transactional
public class RunLauncher {

    @Inject
    RunRepository runs;

    @Inject
    ChildRunRepository children;

    @Inject
    RunQuotaService quotas;

    @Inject
    Event<RunQueued> queued;

    @Inject
    Clock clock;

    /** The engine's workers here (none in an archive without the engine). */
    @Inject
    Instance<FreeWorkers> workers;

    /** The accepting request's trace (or a parent run's step), kept with the run for the engine to continue. */
    @Inject
    Tracing tracing;

    public CreateWorkflowRunOutcome launch(Workflow workflow, RunRequest request) {
        RunUnit unit = quotas.take(workflow.workspaceId());
        if (unit.kind() == RunConsumption.REFUSED) {
            return existing(workflow, request)
                    .<CreateWorkflowRunOutcome>map(AlreadyExisted::new)
                    .orElseGet(() -> new RefusedByQuota(quotas.allocation(workflow.workspaceId())));
        }
        NewRun run = new NewRun(workflow.workspaceId(), workflow.id(), request.workflowVersion(), request.trigger(),
                request.input(), request.idempotencyKey(), request.scheduledFor(), request.deliveryId(),
                request.requestHash(), request.rerunOf(), unit.period().start(), unit.kind(), request.requestedBy(),
                request.child(), tracing.currentTraceParent());
        Optional<ReservedWorker> worker = workers.isResolvable() ? workers.get().reserve() : Optional.empty();
        Instant now = clock.instant();
        Optional<WorkflowRun> inserted = worker.isPresent()
                ? runs.insertRun(run, now, worker.get().holder(), now.plus(worker.get().lease()))
                : runs.insertRun(run, now);
        if (inserted.isPresent()) {
            WorkflowRun created = inserted.get();
            if (worker.isPresent() && created.status() == RunStatus.RUNNING) {
                worker.get().handOff(new ClaimedRun(created, false, true, workflow.retryPolicy(), run.traceParent()));
            } else {
                queued.fire(new RunQueued(created.id()));
            }
            return new Created(created);
        }
        quotas.release(unit);
        return new AlreadyExisted(existing(workflow, request)
                .orElseThrow(() -> new IllegalStateException("A run with this key was neither inserted nor found")));
    }

    private Optional<WorkflowRun> existing(Workflow workflow, RunRequest request) {
        if (request.child() != null) {
            return children.findChild(request.child());
        }
        if (request.idempotencyKey() != null) {
            return runs.findRunByIdempotencyKey(workflow.id(), request.idempotencyKey());
        }
        if (request.deliveryId() != null || request.requestHash() != null) {
            // a sender's retry names its delivery; a replay of one signed request may name any
            Optional<WorkflowRun> delivered = request.deliveryId() == null ? Optional.empty()
                    : runs.findRunByDeliveryId(workflow.id(), request.deliveryId());
            return delivered.isPresent() || request.requestHash() == null ? delivered
                    : runs.findRunByWebhookRequest(workflow.id(), request.requestHash());
        }
        if (request.scheduledFor() != null) {
            return runs.findRunByScheduledFor(workflow.id(), request.scheduledFor());
        }
        return Optional.empty();
    }
}
