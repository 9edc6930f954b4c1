package dev.flowline.engine;

import dev.flowline.engine.nodes.NodeActions;
import dev.flowline.engine.nodes.RunContext;
import dev.flowline.engine.nodes.StepBudget;
import dev.flowline.engine.nodes.StepFailedException;
import dev.flowline.engine.nodes.StepOutcome;
import dev.flowline.engine.nodes.StepScope;
import dev.flowline.platform.json.Jsons;
import dev.flowline.runs.ClaimedRun;
import dev.flowline.runs.LeaseState;
import dev.flowline.runs.RunFinished;
import dev.flowline.runs.RunQueue;
import dev.flowline.runs.RunRefusals;
import dev.flowline.runs.RunRepository;
import dev.flowline.runs.RunStep;
import dev.flowline.runs.RunSuccess;
import dev.flowline.runs.RunStep.StepStatus;
import dev.flowline.runs.StepRecord;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.definition.Edge;
import dev.flowline.workflows.definition.Node;
import dev.flowline.workflows.definition.WorkflowDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Executes one leased run: walks its pinned version's graph from the trigger in topological order, following only
 * the branches a condition or switch chose, and records every step. Steps of pure nodes are written together with the run's
 * next change of state (one transaction); a step with effects outside ({@code http.request}) is written before the
 * next node runs. A resumed run (after a delay, a retry or another instance's crash) reuses the outputs of the steps
 * that finished and runs the first unfinished node again, with the run's new attempt number. Failures follow the
 * workflow's retry policy; exhausted or hopeless ones dead-letter the run.
 */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class.getName());

    @Inject
    RunQueue queue;

    @Inject
    RunRepository runs;

    @Inject
    RunRefusals refusals;

    @Inject
    SuccessWriter successes;

    @Inject
    NodeActions actions;

    @Inject
    Definitions definitions;

    @Inject
    EngineMetrics metrics;

    @Inject
    Event<RunFinished> finished;

    @Inject
    Clock clock;

    /** Also the budget of what a step's templates may produce while they expand ({@link StepBudget}). */
    @Inject
    @ConfigProperty(name = StepBudget.MAX_BYTES_SETTING, defaultValue = "524288")
    int maxStepOutputBytes;

    @Inject
    @ConfigProperty(name = StepBudget.MAX_TEMPLATES_SETTING, defaultValue = "1000")
    int maxTemplatesPerNode;

    /**
     * How long a run may execute without a pause: from the moment this instance took it (a claim, the end of a delay
     * or of a retry's wait) to its next step. Checked before each step; a step in flight is bounded by its own timeout
     * (an HTTP request's {@code timeoutSeconds}).
     */
    @Inject
    @ConfigProperty(name = "flowline.engine.run-timeout-seconds", defaultValue = "3600")
    int runTimeoutSeconds;

    /** Runs {@code claimed} until it ends, waits, fails this attempt, is released, or its lease is lost. */
    public void execute(ClaimedRun claimed, EngineLease lease) {
        WorkflowRun run = claimed.run();
        if (!claimed.workflowEnabled()) {
            stopDisabled(claimed, lease);
            return;
        }
        if (run.cancelRequested()) {
            ended(queue.cancel(run.id(), lease.owner(), List.of(), clock.instant()), run, metrics::canceled);
            return;
        }
        metrics.started();
        new Walk(run, claimed.retryPolicy(), definitions.of(run.workflowId(), run.workflowVersion()), lease)
                .run(claimed.resumed() ? runs.listSteps(run.id()) : List.of());
    }

    /** A run that never started gives its quota unit back; one that did is canceled and counts. */
    private void stopDisabled(ClaimedRun claimed, EngineLease lease) {
        WorkflowRun run = claimed.run();
        Instant now = clock.instant();
        String reason = "The workflow was disabled; the run stopped before its next step.";
        boolean refused = refusals.refuse(run, lease.owner(), reason, now);
        ended(refused || queue.cancel(run.id(), lease.owner(), List.of(), now), run, metrics::canceled);
    }

    /** The reason recorded for a run that a {@link Throwable} (an {@link Error} included) stopped. */
    static String stoppedBy(Throwable e) {
        String message = e.getMessage();
        return "The run was stopped by an internal error: " + e.getClass().getSimpleName()
                + (message == null || message.isBlank() ? "" : " (" + abbreviate(message) + ")");
    }

    private static String abbreviate(String message) {
        return message.length() <= 200 ? message : message.substring(0, 200) + "...";
    }

    /** After a run's final state was committed: counts it and wakes whoever waits for it on this instance. */
    private void ended(boolean written, WorkflowRun run, Runnable count) {
        if (written) {
            count.run();
            finished.fire(new RunFinished(run.id()));
        }
    }

    /** One execution of one run: its state while the graph is walked. */
    private final class Walk {

        private final WorkflowRun run;
        private final RetryPolicy retry;
        private final Definitions.Plan plan;
        private final WorkflowDefinition definition;
        private final EngineLease lease;
        private final Map<String, JsonValue> outputs = new HashMap<>();
        /** What each parked node recorded when it last parked this run (its latest WAITING step's output). */
        private final Map<String, JsonObject> waiting = new HashMap<>();
        private final Set<String> finished = new HashSet<>();
        private final List<StepRecord> unwritten = new ArrayList<>();
        private final Instant deadline = clock.instant().plusSeconds(runTimeoutSeconds);

        Walk(WorkflowRun run, RetryPolicy retry, Definitions.Plan plan, EngineLease lease) {
            this.run = run;
            this.retry = retry == null ? RetryPolicy.DEFAULT : retry;
            this.plan = plan;
            this.definition = plan.definition();
            this.lease = lease;
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
            Set<String> reached = new HashSet<>(Set.of(definition.trigger().id()));
            JsonObject last = run.input();
            for (Node node : plan.order()) {
                if (!reached.contains(node.id())) {
                    continue;
                }
                JsonObject output;
                if (finished.contains(node.id())) {
                    output = (JsonObject) outputs.get(node.id());
                } else {
                    if (lease.stopping()) {
                        queue.release(lease.owner(), List.of(run.id()), clock.instant());
                        return;
                    }
                    if (clock.instant().isAfter(deadline)) {
                        // another attempt would time out the same way: dead-lettered, for a person to look at
                        fail(node, clock.instant(), "The run executed for more than " + runTimeoutSeconds
                                + " seconds without a pause (flowline.engine.run-timeout-seconds); it stopped before"
                                + " node " + node.id() + ".", false);
                        metrics.timedOut();
                        return;
                    }
                    Optional<JsonObject> done = step(node);
                    if (done.isEmpty()) {
                        return; // the run waits, failed this attempt, was canceled, or is no longer ours
                    }
                    output = done.get();
                }
                last = output;
                String branch = NodeActions.branch(node, output);
                for (Edge edge : definition.edgesFrom(node.id())) {
                    if (edge.when() == null || edge.when().equals(branch)) {
                        reached.add(edge.to());
                    }
                }
            }
            ended(successes.write(lease.owner(), new RunSuccess(run.id(), List.copyOf(unwritten), last)), run,
                    metrics::succeeded);
        }

        /** Runs one node; its output, or empty when the walk must stop here. */
        private Optional<JsonObject> step(Node node) {
            Instant started = clock.instant();
            StepOutcome outcome;
            try {
                RunContext context = new RunContext(run.input(), outputs,
                        new StepBudget(node.id(), maxStepOutputBytes, maxTemplatesPerNode));
                outcome = actions.run(node, context, new StepScope(run.id(), run.workspaceId(), run.workflowId(),
                        run.attempt(), started, waiting.get(node.id())));
                metrics.step(node.type().wireName(), Duration.between(started, clock.instant()));
            } catch (StepFailedException e) {
                fail(node, started, e.getMessage(), e.retryable());
                return Optional.empty();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Run " + run.id() + ", node " + node.id() + " failed unexpectedly", e);
                fail(node, started, "Internal error in node " + node.id() + ".", true);
                return Optional.empty();
            } catch (Error e) {
                // An OutOfMemoryError or StackOverflowError would come again with the same data: not retried. What
                // the step allocated is garbage once we are here, so writing the dead letter usually works; if it
                // fails too, the Dispatcher tries once more, and past that the takeover cap ends the run.
                LOG.log(Level.SEVERE, "Run " + run.id() + ", node " + node.id() + " stopped by an internal error", e);
                fail(node, started, stoppedBy(e) + " in node " + node.id() + ".", false);
                return Optional.empty();
            }
            Instant now = clock.instant();
            if (outcome instanceof StepOutcome.Park park) {
                // recorded once per thing waited for: a node woken early that parks again adds no row
                if (!park.waiting().equals(waiting.get(node.id()))) {
                    unwritten.add(step(node, StepStatus.WAITING, park.input(), park.waiting(), null, started, now));
                }
                queue.waitUntil(run.id(), lease.owner(), unwritten, park.until());
                return Optional.empty();
            }
            JsonObject output = ((StepOutcome.Done) outcome).output();
            int size = output.toString().getBytes(StandardCharsets.UTF_8).length;
            if (size > maxStepOutputBytes) {
                fail(node, started, "The output of node " + node.id() + " is " + size + " bytes, more than the "
                        + maxStepOutputBytes + " a step may keep (" + StepBudget.MAX_BYTES_SETTING + ").", false);
                return Optional.empty();
            }
            unwritten.add(step(node, StepStatus.SUCCEEDED, outcome.input(), output, null, started, now));
            outputs.put(node.id(), output);
            if (NodeActions.hasEffects(node)) {
                LeaseState state = queue.checkpoint(run.id(), lease.owner(), unwritten, now.plus(lease.duration()));
                unwritten.clear();
                if (state == LeaseState.LOST) {
                    return Optional.empty();
                }
                if (state == LeaseState.CANCEL_REQUESTED) {
                    ended(queue.cancel(run.id(), lease.owner(), List.of(), clock.instant()), run, metrics::canceled);
                    return Optional.empty();
                }
            }
            return Optional.of(output);
        }

        private void fail(Node node, Instant started, String error, boolean retryable) {
            Instant now = clock.instant();
            unwritten.add(step(node, StepStatus.FAILED, null, null, error, started, now));
            if (retryable && run.attempt() < retry.maxAttempts()) {
                Instant at = now.plus(retry.delayAfter(run.attempt(), ThreadLocalRandom.current()));
                if (queue.retryAt(run.id(), lease.owner(), unwritten, error, at)) {
                    metrics.retried();
                }
            } else {
                String why = retryable ? error + " (attempt " + run.attempt() + " of " + retry.maxAttempts() + ")" : error;
                ended(queue.deadLetter(run.id(), lease.owner(), unwritten, why, node.id(), now), run,
                        metrics::deadLettered);
            }
        }

        private StepRecord step(Node node, StepStatus status, JsonObject input, JsonObject output, String error,
                                Instant started, Instant finishedAt) {
            return new StepRecord(node.id(), status, run.attempt(), node.type().isTrigger() ? null : input, output,
                    error, started, finishedAt);
        }
    }
}
