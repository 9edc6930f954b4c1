package dev.flowline.engine;

import dev.flowline.engine.nodes.NodeActions;
import dev.flowline.engine.nodes.StepBudget;
import dev.flowline.platform.tracing.TraceParent;
import dev.flowline.platform.tracing.Tracing;
import dev.flowline.runs.ClaimedRun;
import dev.flowline.runs.RunFinished;
import dev.flowline.runs.RunQueue;
import dev.flowline.runs.RunRefusals;
import dev.flowline.runs.RunRepository;
import dev.flowline.runs.WorkflowRun;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.List;

/**
 * Executes one leased run: stops it when its workflow was disabled or cancel was asked, else walks its pinned
 * version's graph ({@link RunWalk}: branches a condition or switch chose, parallel branches concurrently, parked
 * nodes). Steps of pure nodes are written together with the run's next change of state (one transaction); a step
 * with effects outside ({@code http.request}) is written before the nodes after it run. A resumed run (after a
 * pause, a retry or another instance's crash) reuses the outputs of the steps that finished and runs the unfinished
 * nodes again, with the run's attempt number. Failures follow the workflow's retry policy; exhausted or hopeless ones
 * dead-letter the run. Holds what every walk shares: the collaborators, the limits and the branch pool.
 */
@ApplicationScoped
public class RunExecutor {

    /** The run span's attributes (ids only: a run's input and output stay in the database). */
    static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("dev.flowline.run.id");
    static final AttributeKey<String> WORKFLOW_ID = AttributeKey.stringKey("dev.flowline.workflow.id");
    static final AttributeKey<String> WORKSPACE_ID = AttributeKey.stringKey("dev.flowline.workspace.id");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("dev.flowline.run.attempt");
    static final AttributeKey<String> TRIGGER = AttributeKey.stringKey("dev.flowline.run.trigger");
    static final AttributeKey<Boolean> RESUMED = AttributeKey.booleanKey("dev.flowline.run.resumed");

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

    @Inject
    Tracing tracing;

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

    /**
     * How many steps of one run may be in flight at once: parallel branches' steps with effects outside run
     * concurrently up to this, on the engine's branch pool.
     */
    @Inject
    @ConfigProperty(name = "flowline.engine.branch-concurrency", defaultValue = "4")
    int branchConcurrency;

    /** Threads of the branch pool, shared by all runs of this instance (steps beyond wait for a thread). */
    @Inject
    @ConfigProperty(name = "flowline.engine.branch-threads", defaultValue = "16")
    int branchThreads;

    @Resource
    ManagedThreadFactory threads;

    /** Where the steps of parallel branches run; the run's own thread walks its graph and runs the rest. */
    ExecutorService branches;

    @PostConstruct
    void startBranchPool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(Math.max(1, branchThreads), Math.max(1, branchThreads),
                60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads != null ? threads : Executors.defaultThreadFactory());
        pool.allowCoreThreadTimeOut(true);
        branches = pool;
    }

    @PreDestroy
    void stopBranchPool() {
        branches.shutdown();
    }

    /**
     * Runs {@code claimed} until it ends, waits, fails this attempt, is released, or its lease is lost; in a span of
     * its own, the child of the span that accepted the run (its stored {@code traceparent}), so that the webhook
     * delivery or API call, the run, its steps and the requests they send make one trace.
     */
    public void execute(ClaimedRun claimed, EngineLease lease) {
        WorkflowRun run = claimed.run();
        Span span = tracing.tracer().spanBuilder("run " + run.workflowId())
                .setParent(TraceParent.context(claimed.traceParent()))
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(RUN_ID, run.id().toString())
                .setAttribute(WORKFLOW_ID, run.workflowId().toString())
                .setAttribute(WORKSPACE_ID, run.workspaceId().toString())
                .setAttribute(ATTEMPT, (long) run.attempt())
                .setAttribute(TRIGGER, run.trigger().name())
                .setAttribute(RESUMED, claimed.resumed())
                .startSpan();
        try (Scope scope = span.makeCurrent()) {
            walk(claimed, lease);
        } catch (RuntimeException | Error e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    private void walk(ClaimedRun claimed, EngineLease lease) {
        WorkflowRun run = claimed.run();
        if (!claimed.workflowEnabled()) {
            stopDisabled(claimed);
            return;
        }
        if (run.cancelRequested()) {
            ended(queue.cancel(run.id(), run.leasedBy(), List.of(), clock.instant()), run, metrics::canceled);
            return;
        }
        metrics.started();
        new RunWalk(this, run, claimed.retryPolicy(), definitions.of(run.workflowId(), run.workflowVersion()), lease)
                .run(claimed.resumed() ? runs.listSteps(run.id()) : List.of());
    }

    /** A run that never started gives its quota unit back; one that did is canceled and counts. */
    private void stopDisabled(ClaimedRun claimed) {
        WorkflowRun run = claimed.run();
        Instant now = clock.instant();
        String reason = "The workflow was disabled; the run stopped before its next step.";
        boolean refused = refusals.refuse(run, run.leasedBy(), reason, now);
        ended(refused || queue.cancel(run.id(), run.leasedBy(), List.of(), now), run, metrics::canceled);
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
    void ended(boolean written, WorkflowRun run, Runnable count) {
        if (written) {
            count.run();
            finished.fire(new RunFinished(run.id()));
        }
    }
}
