package dev.flowline.engine;

import dev.flowline.engine.nodes.NodeActions;
import dev.flowline.workflows.definition.WorkflowDefinition;

import java.time.Clock;
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
        executor.finished = new NoEvent();
        executor.clock = Clock.fixed(now, ZoneOffset.UTC);
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
}
