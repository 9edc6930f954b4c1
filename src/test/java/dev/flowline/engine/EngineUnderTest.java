package dev.flowline.engine;

import dev.flowline.engine.nodes.NodeActions;
import dev.flowline.platform.tracing.Tracing;
import dev.flowline.runs.ClaimedRun;
import dev.flowline.runs.RunStatus;
import dev.flowline.runs.RunTrigger;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.testing.RecordingEvent;
import dev.flowline.workflows.RetryPolicy;
import jakarta.json.Json;
import dev.flowline.workflows.definition.WorkflowDefinition;

import jakarta.enterprise.concurrent.ManagedThreadFactory;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/** A {@link RunExecutor} wired by hand for unit tests: one definition, a fixed clock, the production defaults. */
final class EngineUnderTest {

    private EngineUnderTest() {
    }

    static RunExecutor executor(RecordingQueue queue, NodeActions actions, WorkflowDefinition definition, Instant now) {
        RunExecutor executor = new RunExecutor();
        executor.queue = queue;
        executor.actions = actions;
        executor.definitions = new Definitions() {
            @Override
            public Plan of(UUID workflowId, int version) {
                return new Plan(definition, topological(definition));
            }
        };
        executor.metrics = new QuietMetrics();
        executor.finished = new RecordingEvent<>();
        executor.clock = Clock.fixed(now, ZoneOffset.UTC);
        executor.tracing = Tracing.off();
        SuccessWriter successes = new SuccessWriter();
        successes.queue = queue;
        successes.clock = executor.clock;
        executor.successes = successes;
        executor.maxStepOutputBytes = 524_288;
        executor.maxTemplatesPerNode = 1_000;
        executor.runTimeoutSeconds = 3_600;
        executor.branchConcurrency = 4;
        executor.branchThreads = 4;
        executor.startBranchPool();
        return executor;
    }

    /** A run of a manual trigger with empty input, just leased to "instance-a". */
    static ClaimedRun claimed(RetryPolicy retry, Instant now) {
        WorkflowRun run = new WorkflowRun(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1,
                RunStatus.RUNNING, RunTrigger.MANUAL, Json.createObjectBuilder().build(), null, null, 1, null, null,
                null, null, false, now, now, null, now, "instance-a", now.plusSeconds(60));
        return new ClaimedRun(run, false, true, retry);
    }

    /** The lease of "instance-a", a minute long, not stopping. */
    static EngineLease lease() {
        return new EngineLease() {
            @Override
            public String owner() {
                return "instance-a";
            }

            @Override
            public Duration duration() {
                return Duration.ofMinutes(1);
            }

            @Override
            public boolean stopping() {
                return false;
            }
        };
    }

    /** The container's thread factory, as far as the engine's jobs use it: plain threads. */
    static ManagedThreadFactory threads() {
        return (ManagedThreadFactory) Proxy.newProxyInstance(EngineUnderTest.class.getClassLoader(),
                new Class<?>[]{ManagedThreadFactory.class}, (proxy, method, args) -> {
                    if (method.getName().equals("newThread")) {
                        return new Thread((Runnable) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /**
     * A Dispatcher on plain threads (the container's thread factory, as far as the Dispatcher uses it); a fixed clock,
     * a quick poll and short leases.
     */
    static Dispatcher dispatcher(RecordingQueue queue, RunExecutor executor, int workers,
                                 int batchSize, Instant now) {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.queue = queue;
        dispatcher.executor = executor;
        dispatcher.metrics = new QuietMetrics();
        dispatcher.clock = Clock.fixed(now, ZoneOffset.UTC);
        dispatcher.enabled = true;
        dispatcher.workerCount = workers;
        dispatcher.pollMillis = 20;
        dispatcher.batchSize = batchSize;
        dispatcher.leaseSeconds = 60;
        dispatcher.shutdownSeconds = 1;
        dispatcher.threads = threads();
        return dispatcher;
    }
}
