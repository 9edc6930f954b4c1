package dev.flowline.engine;

import dev.flowline.engine.nodes.NodeActions;
import dev.flowline.engine.nodes.RunContext;
import dev.flowline.engine.nodes.StepBudget;
import dev.flowline.engine.nodes.StepFailedException;
import dev.flowline.engine.nodes.StepOutcome;
import dev.flowline.engine.nodes.StepScope;
import dev.flowline.platform.json.Jsons;
import dev.flowline.runs.LeaseState;
import dev.flowline.runs.RunStep;
import dev.flowline.runs.RunStep.StepStatus;
import dev.flowline.runs.RunSuccess;
import dev.flowline.runs.StepRecord;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.definition.Edge;
import dev.flowline.workflows.definition.Node;
import dev.flowline.workflows.definition.NodeType;
import dev.flowline.workflows.definition.WorkflowDefinition;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One execution of one leased run ({@link RunExecutor}): its state while the graph is walked. The run's own (worker) thread walks: it starts
 * every node whose incoming branches are all settled, runs the quick ones itself and hands steps with effects
 * outside ({@code http.request}) to the branch pool when more than one could run at once (at most
 * {@code flowline.engine.branch-concurrency} of the run's steps in flight), and handles each outcome in turn, so
 * the run's state and writes stay on one thread. A node runs when each of its incoming edges is settled (its
 * source finished, was skipped or chose another branch) and at least one was taken; a node none of whose edges
 * was taken is skipped, and so are the nodes only it leads to. A parked node holds back what comes after it while
 * other branches go on; when nothing else can run, the run parks until the earliest of them is due.
 */
final class RunWalk {

    private enum Stop { NONE, FAILED, TIMED_OUT, LOST, CANCELED, RELEASED }

    /** What one step ended with: an outcome, or a failure; computed on any thread, handled on the run's own. */
    private record Finished(Node node, Instant started, StepOutcome outcome, String error, boolean retryable) {
    }

    /** A node that parked the run, with what it waits for. */
    private record Parked(Node node, Instant started, Instant at, StepOutcome.Park park) {
    }

    private static final Logger LOG = Logger.getLogger(RunWalk.class.getName());

    /** A step span's attributes: which node, of which type, and how its step ended. */
    static final AttributeKey<String> NODE_ID = AttributeKey.stringKey("dev.flowline.node.id");
    static final AttributeKey<String> NODE_TYPE = AttributeKey.stringKey("dev.flowline.node.type");
    static final AttributeKey<String> STEP_STATUS = AttributeKey.stringKey("dev.flowline.step.status");

    private final RunExecutor executor;
    private final WorkflowRun run;
    private final RetryPolicy retry;
    private final Definitions.Plan plan;
    private final WorkflowDefinition definition;
    private final EngineLease lease;
    /**
     * Whose lease this walk writes under: the holder its claim set ({@code leased_by}), not the instance's name, so
     * that a walk that lost its lease (its instance froze) writes nothing even once its instance leased the run again.
     */
    private final String holder;
    /** Until when the walk knows its lease is held: the claim's expiry, then that of its latest checkpoint. */
    private Instant leaseKnownUntil;
    /** The run's span, the parent of its steps' spans on whichever thread they run. */
    private final Context traced;
    private final Map<String, JsonValue> outputs = new HashMap<>();
    private final Set<String> finished = new HashSet<>();
    /** What each parked node recorded when it last parked this run (its latest WAITING step's output). */
    private final Map<String, JsonObject> waiting = new HashMap<>();
    private final List<StepRecord> unwritten = new ArrayList<>();
    /** Until when the run may go on without a pause ({@code flowline.engine.run-timeout-seconds}). */
    private final Instant deadline;
    /** Incoming edges of each node not settled yet. */
    private final Map<String, Integer> unsettled = new HashMap<>();
    /** Per node, the sources of its incoming edges that were taken (a {@code flow.merge}'s branches). */
    private final Map<String, Set<String>> arrived = new HashMap<>();
    private final Map<String, Integer> rank = new HashMap<>();
    private final PriorityQueue<Node> ready;
    private final List<Parked> parked = new ArrayList<>();
    private final BlockingQueue<Finished> done = new LinkedBlockingQueue<>();
    private int inFlight;
    private Stop stop = Stop.NONE;
    private Finished failure;

    RunWalk(RunExecutor executor, WorkflowRun run, RetryPolicy retry, Definitions.Plan plan, EngineLease lease) {
        this.executor = executor;
        this.run = run;
        this.retry = retry == null ? RetryPolicy.DEFAULT : retry;
        this.plan = plan;
        this.definition = plan.definition();
        this.lease = lease;
        this.holder = run.leasedBy();
        this.leaseKnownUntil = run.leaseExpiresAt();
        this.traced = Context.current();
        this.deadline = executor.clock.instant().plusSeconds(executor.runTimeoutSeconds);
        for (int i = 0; i < plan.order().size(); i++) {
            rank.put(plan.order().get(i).id(), i);
        }
        // topological order breaks ties, so pure nodes run in the same order on every instance
        this.ready = new PriorityQueue<>(Comparator.comparing((Node node) -> rank.get(node.id())));
        for (Edge edge : definition.edges()) {
            unsettled.merge(edge.to(), 1, Integer::sum);
        }
    }

    void run(List<RunStep> earlier) {
        for (RunStep step : earlier) {
            if (step.status() == StepStatus.SUCCEEDED) {
                outputs.put(step.nodeId(), step.output());
                finished.add(step.nodeId());
            } else if (step.status() == StepStatus.WAITING) {
                waiting.put(step.nodeId(), step.output());
            }
        }
        ready.add(definition.trigger());
        while (true) {
            while (stop == Stop.NONE && !ready.isEmpty() && inFlight < Math.max(1, executor.branchConcurrency)) {
                start(ready.poll());
            }
            if (inFlight == 0) {
                break;
            }
            handle(take());
        }
        end();
    }

    /** Settles a finished node at once, or runs it here, or hands it to the branch pool. */
    private void start(Node node) {
        if (finished.contains(node.id())) {
            settle(node, (JsonObject) outputs.get(node.id()));
            return;
        }
        if (lease.stopping()) {
            stop = Stop.RELEASED;
            return;
        }
        if (executor.clock.instant().isAfter(deadline)) {
            // another attempt would time out the same way: dead-lettered, for a person to look at
            failure = new Finished(node, executor.clock.instant(), null, "The run executed for more than "
                    + executor.runTimeoutSeconds + " seconds without a pause (flowline.engine.run-timeout-seconds); it"
                    + " stopped before node " + node.id() + ".", false);
            stop = Stop.TIMED_OUT;
            return;
        }
        if (NodeActions.hasEffects(node) && !leaseConfirmed()) {
            return;
        }
        RunContext context = new RunContext(run.input(), outputs,
                new StepBudget(node.id(), executor.maxStepOutputBytes, executor.maxTemplatesPerNode));
        boolean alone = inFlight == 0 && ready.stream().noneMatch(NodeActions::hasEffects);
        if (NodeActions.hasEffects(node) && !alone) {
            inFlight++;
            executor.branches.execute(() -> done.add(execute(node, context)));
        } else {
            handle(execute(node, context));
        }
    }

    private Finished take() {
        try {
            Finished next = done.take();
            inFlight--;
            return next;
        } catch (InterruptedException e) {
            // the steps in flight end by their own timeouts; wait for them so that none is left unrecorded
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while run " + run.id() + " had steps in flight", e);
        }
    }

    /** Runs one node (on any thread) in a span of its own; whatever happens is returned, never thrown. */
    private Finished execute(Node node, RunContext context) {
        Span span = executor.tracing.tracer().spanBuilder("step " + node.id())
                .setParent(traced)
                .setAttribute(NODE_ID, node.id())
                .setAttribute(NODE_TYPE, node.type().wireName())
                .startSpan();
        try (Scope scope = span.makeCurrent()) {
            Finished step = attempt(node, context);
            if (step.outcome() == null) {
                span.setAttribute(STEP_STATUS, StepStatus.FAILED.name());
                // the step's error as its row records it: never a header value, a URL's path or query
                span.setStatus(StatusCode.ERROR, step.error());
            } else {
                span.setAttribute(STEP_STATUS, (step.outcome() instanceof StepOutcome.Park
                        ? StepStatus.WAITING : StepStatus.SUCCEEDED).name());
            }
            return step;
        } finally {
            span.end();
        }
    }

    private Finished attempt(Node node, RunContext context) {
        Instant started = executor.clock.instant();
        try {
            StepOutcome outcome = node.type() == NodeType.FLOW_MERGE
                    ? new StepOutcome.Done(JsonValue.EMPTY_JSON_OBJECT, merged(node, context))
                    : executor.actions.run(node, context, new StepScope(run.id(), run.workspaceId(), run.workflowId(),
                            run.attempt(), started, waiting.get(node.id())));
            executor.metrics.step(node.type().wireName(), Duration.between(started, executor.clock.instant()));
            return new Finished(node, started, outcome, null, false);
        } catch (StepFailedException e) {
            return new Finished(node, started, null, e.getMessage(), e.retryable());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Run " + run.id() + ", node " + node.id() + " failed unexpectedly", e);
            return new Finished(node, started, null, "Internal error in node " + node.id() + ".", true);
        } catch (Error e) {
            // An OutOfMemoryError or StackOverflowError would come again with the same data: not retried. What
            // the step allocated is garbage once we are here, so writing the dead letter usually works; if it
            // fails too, the Dispatcher tries once more, and past that the takeover cap ends the run.
            LOG.log(Level.SEVERE, "Run " + run.id() + ", node " + node.id() + " stopped by an internal error", e);
            return new Finished(node, started, null, RunExecutor.stoppedBy(e) + " in node " + node.id() + ".", false);
        }
    }

    /** A merge's output: the output of each branch that reached it, by the id of the node it came from. */
    private JsonObject merged(Node node, RunContext context) {
        JsonObjectBuilder merged = Jsons.createObjectBuilder();
        for (Edge edge : definition.edges()) {
            if (edge.to().equals(node.id()) && arrived.getOrDefault(node.id(), Set.of()).contains(edge.from())) {
                merged.add(edge.from(), context.outputs().get(edge.from()));
            }
        }
        return merged.build();
    }

    /** Handles a step's end on the run's thread: records it and lets the executor.branches after it go on. */
    private void handle(Finished step) {
        Node node = step.node();
        Instant now = executor.clock.instant();
        if (step.outcome() == null) {
            unwritten.add(step(node, StepStatus.FAILED, null, null, step.error(), step.started(), now));
            if (failure == null) {
                failure = step;
                stop = stop == Stop.NONE ? Stop.FAILED : stop;
            }
            return;
        }
        if (step.outcome() instanceof StepOutcome.Park park) {
            parked.add(new Parked(node, step.started(), now, park));
            return;
        }
        JsonObject output = ((StepOutcome.Done) step.outcome()).output();
        int size = output.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > executor.maxStepOutputBytes) {
            handle(new Finished(node, step.started(), null, "The output of node " + node.id() + " is " + size
                    + " bytes, more than the " + executor.maxStepOutputBytes + " a step may keep ("
                    + StepBudget.MAX_BYTES_SETTING + ").", false));
            return;
        }
        unwritten.add(step(node, StepStatus.SUCCEEDED, step.outcome().input(), output, null, step.started(), now));
        outputs.put(node.id(), output);
        finished.add(node.id());
        if (NodeActions.hasEffects(node)) {
            checkpoint(now);
        }
        settle(node, output);
    }

    /** Writes the steps not written yet and extends the lease; a lost lease or a cancel request stops the walk. */
    private LeaseState checkpoint(Instant now) {
        LeaseState state = executor.queue.checkpoint(run.id(), holder, unwritten, now.plus(lease.duration()));
        unwritten.clear();
        if (state == LeaseState.LOST) {
            stop = Stop.LOST;
        } else {
            leaseKnownUntil = now.plus(lease.duration());
            if (state == LeaseState.CANCEL_REQUESTED && stop == Stop.NONE) {
                stop = Stop.CANCELED;
            }
        }
        return state;
    }

    /**
     * Before a step with effects outside: whether the walk may send it. If the lease may have lapsed since the walk
     * last confirmed it (within a third of a lease of its known end: the instance froze or stalled, or the steps so
     * far were slow), a checkpoint confirms it first, so that a walk whose run was taken over meanwhile sends no new
     * request: only a request already in flight when the instance froze can reach the outside twice.
     */
    private boolean leaseConfirmed() {
        Instant now = executor.clock.instant();
        if (leaseKnownUntil != null && now.isBefore(leaseKnownUntil.minus(lease.duration().dividedBy(3)))) {
            return true;
        }
        return checkpoint(now) == LeaseState.HELD;
    }

    /** A node ended with {@code output}: settles its outgoing edges, taken or not. */
    private void settle(Node node, JsonObject output) {
        String branch = NodeActions.branch(node, output);
        for (Edge edge : definition.edgesFrom(node.id())) {
            boolean taken = edge.when() == null || edge.when().equals(branch);
            arrive(edge, taken);
        }
    }

    /** One incoming edge of {@code edge.to()} is settled; the node is ready, or skipped, once all are. */
    private void arrive(Edge edge, boolean taken) {
        if (taken) {
            arrived.computeIfAbsent(edge.to(), id -> new HashSet<>()).add(edge.from());
        }
        if (unsettled.merge(edge.to(), -1, Integer::sum) > 0) {
            return;
        }
        Node next = definition.node(edge.to()).orElseThrow();
        if (arrived.containsKey(next.id())) {
            ready.add(next);
        } else {
            // no branch reached it: neither it nor what only it leads to runs
            definition.edgesFrom(next.id()).forEach(out -> arrive(out, false));
        }
    }

    /** After the last step in flight: the run's next state, in one write. */
    private void end() {
        Instant now = executor.clock.instant();
        switch (stop) {
            case LOST -> {
                // another instance holds the run now: nothing of ours may be written
            }
            case RELEASED -> executor.queue.release(holder, List.of(run.id()), now);
            case CANCELED -> executor.ended(executor.queue.cancel(run.id(), holder, unwritten, now), run, executor.metrics::canceled);
            case TIMED_OUT -> {
                // stopped before the node ran: the failure is recorded on it here
                unwritten.add(step(failure.node(), StepStatus.FAILED, null, null, failure.error(), now, now));
                fail(failure.node(), failure.error(), false);
                executor.metrics.timedOut();
            }
            case FAILED -> fail(failure.node(), failure.error(), failure.retryable());
            case NONE -> {
                if (!parked.isEmpty()) {
                    park();
                } else {
                    executor.ended(executor.successes.write(new RunSuccess(run.id(), holder, List.copyOf(unwritten),
                            lastOutput())), run, executor.metrics::succeeded);
                }
            }
        }
    }

    /** Parks the run until the earliest of its parked nodes is due; each records what it waits for. */
    private void park() {
        Instant until = null;
        for (Parked each : parked) {
            StepOutcome.Park park = each.park();
            // recorded once per thing waited for: a node woken early that parks again adds no row
            if (!park.waiting().equals(waiting.get(each.node().id()))) {
                unwritten.add(step(each.node(), StepStatus.WAITING, park.input(), park.waiting(), null,
                        each.started(), each.at()));
            }
            until = until == null || park.until().isBefore(until) ? park.until() : until;
        }
        executor.queue.waitUntil(run.id(), holder, unwritten, until);
    }

    /** The run's output: that of the last node that ran, in the graph's order. */
    private JsonObject lastOutput() {
        for (int i = plan.order().size() - 1; i >= 0; i--) {
            if (outputs.get(plan.order().get(i).id()) instanceof JsonObject output
                    && reachedThisRun(plan.order().get(i))) {
                return output;
            }
        }
        return run.input();
    }

    private boolean reachedThisRun(Node node) {
        return node.type().isTrigger() || arrived.containsKey(node.id());
    }

    /** The run failed at {@code node} (its failed step recorded): retried by its policy, or dead-lettered. */
    private void fail(Node node, String error, boolean retryable) {
        Instant now = executor.clock.instant();
        if (retryable && run.attempt() < retry.maxAttempts()) {
            Instant at = now.plus(retry.delayAfter(run.attempt(), ThreadLocalRandom.current()));
            if (executor.queue.retryAt(run.id(), holder, unwritten, error, at)) {
                executor.metrics.retried();
            }
        } else {
            String why = retryable ? error + " (attempt " + run.attempt() + " of " + retry.maxAttempts() + ")" : error;
            executor.ended(executor.queue.deadLetter(run.id(), holder, unwritten, why, node.id(), now), run,
                    executor.metrics::deadLettered);
        }
    }

    private StepRecord step(Node node, StepStatus status, JsonObject input, JsonObject output, String error,
                            Instant started, Instant finishedAt) {
        return new StepRecord(node.id(), status, run.attempt(), node.type().isTrigger() ? null : input, output,
                error, started, finishedAt);
    }
}
