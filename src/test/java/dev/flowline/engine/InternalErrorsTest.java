package dev.flowline.engine;

import dev.flowline.engine.nodes.NodeActions;
import dev.flowline.engine.nodes.RunContext;
import dev.flowline.engine.nodes.StepOutcome;
import dev.flowline.engine.nodes.StepScope;
import dev.flowline.runs.ClaimedRun;
import dev.flowline.runs.RunStep.StepStatus;
import dev.flowline.runs.StepRecord;
import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.definition.DefinitionValidator;
import dev.flowline.workflows.definition.Node;
import dev.flowline.workflows.definition.NodeType;
import dev.flowline.workflows.definition.WorkflowDefinition;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@link Error} (OutOfMemoryError, StackOverflowError) escaping a run dead-letters it, not retried, and the worker
 * goes on: inside a step ({@link RunExecutor}, with the node's failed step) and anywhere else in a run
 * ({@link Dispatcher}, whose slot accounting must survive it).
 */
class InternalErrorsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final WorkflowDefinition DEFINITION = DefinitionValidator.validate(Json.createReader(
            new StringReader("""
                    {"nodes":[{"id":"start","type":"trigger.manual","params":{}},
                      {"id":"boom","type":"data.set","params":{"values":{"a":1}}}],
                     "edges":[{"from":"start","to":"boom"}]}""")).readObject());

    private final RecordingQueue queue = new RecordingQueue();
    @Test
    void anErrorInAStepDeadLettersTheRunWithItsFailedStepWithoutRetry() {
        RunExecutor executor = executor(new NodeActions() {
            @Override
            public StepOutcome run(Node node, RunContext context, StepScope scope) {
                if (node.type() == NodeType.TRIGGER_MANUAL) {
                    return new StepOutcome.Done(JsonValue.EMPTY_JSON_OBJECT, context.input());
                }
                throw new OutOfMemoryError("Java heap space");
            }
        });
        ClaimedRun claimed = EngineUnderTest.claimed(new RetryPolicy(5, RetryPolicy.Backoff.FIXED, 1, 1), NOW);

        executor.execute(claimed, EngineUnderTest.lease());

        assertThat(queue.retried).as("an Error would come again: no retry").isEmpty();
        assertThat(queue.deadLettered).singleElement().satisfies(letter -> {
            assertThat(letter.runId()).isEqualTo(claimed.run().id());
            assertThat(letter.error()).isEqualTo(
                    "The run was stopped by an internal error: OutOfMemoryError (Java heap space) in node boom.");
            assertThat(letter.lastNodeId()).isEqualTo("boom");
            assertThat(letter.steps()).extracting(StepRecord::nodeId, StepRecord::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("start", StepStatus.SUCCEEDED),
                            org.assertj.core.groups.Tuple.tuple("boom", StepStatus.FAILED));
        });
    }

    @Test
    void anErrorEscapingARunDeadLettersItAndTheWorkerAndItsSlotGoOn() throws Exception {
        ClaimedRun failing = EngineUnderTest.claimed(RetryPolicy.DEFAULT, NOW);
        ClaimedRun next = EngineUnderTest.claimed(RetryPolicy.DEFAULT, NOW);
        queue.toClaim.add(List.of(failing));
        queue.toClaim.add(List.of(next));
        CountDownLatch nextRan = new CountDownLatch(1);
        Map<UUID, Thread> ranOn = new ConcurrentHashMap<>();
        RunExecutor executor = new RunExecutor() {
            @Override
            public void execute(ClaimedRun claimed, EngineLease lease) {
                ranOn.put(claimed.run().id(), Thread.currentThread());
                if (claimed == failing) {
                    throw new StackOverflowError();
                }
                nextRan.countDown();
            }
        };
        Dispatcher dispatcher = dispatcher(executor);

        dispatcher.start();
        try {
            assertThat(nextRan.await(10, TimeUnit.SECONDS)).as("the next run was claimed and ran").isTrue();
        } finally {
            dispatcher.stop();
        }

        assertThat(queue.deadLettered).singleElement().satisfies(letter -> {
            assertThat(letter.runId()).isEqualTo(failing.run().id());
            assertThat(letter.error()).isEqualTo("The run was stopped by an internal error: StackOverflowError.");
            assertThat(letter.steps()).isEmpty();
        });
        assertThat(ranOn.get(next.run().id())).as("the same worker thread").isSameAs(ranOn.get(failing.run().id()));
        assertThat(queue.claimLimits).as("one worker: its slot came back after the Error").startsWith(1, 1);
    }

    @Test
    void aRunWhoseDeadLetterCannotBeWrittenEitherStillFreesItsSlot() throws Exception {
        queue.deadLetterFails = true;

        assertThat(nextRunsAfter(new OutOfMemoryError("Java heap space")))
                .as("its lease is left to expire; the engine goes on").isTrue();
        assertThat(queue.deadLettered).isEmpty();
    }

    /** A write of the executor that fails (the database, for a moment) is not the run's fault: takeover, not a dead letter. */
    @Test
    void aRuntimeExceptionEscapingARunLeavesItToItsLeaseAndTheSlotGoesOn() throws Exception {
        assertThat(nextRunsAfter(new IllegalStateException("connection refused"))).isTrue();
        assertThat(queue.deadLettered).isEmpty();
    }

    /** One run escapes the executor with {@code thrown}; whether the next claimed run then ran within 10 s. */
    private boolean nextRunsAfter(Throwable thrown) throws InterruptedException {
        ClaimedRun failing = EngineUnderTest.claimed(RetryPolicy.DEFAULT, NOW);
        ClaimedRun next = EngineUnderTest.claimed(RetryPolicy.DEFAULT, NOW);
        queue.toClaim.add(List.of(failing));
        queue.toClaim.add(List.of(next));
        CountDownLatch nextRan = new CountDownLatch(1);
        Dispatcher dispatcher = dispatcher(new RunExecutor() {
            @Override
            public void execute(ClaimedRun claimed, EngineLease lease) {
                if (claimed == failing) {
                    if (thrown instanceof Error error) {
                        throw error;
                    }
                    throw (RuntimeException) thrown;
                }
                nextRan.countDown();
            }
        });
        dispatcher.start();
        try {
            return nextRan.await(10, TimeUnit.SECONDS);
        } finally {
            dispatcher.stop();
        }
    }

    private RunExecutor executor(NodeActions actions) {
        return EngineUnderTest.executor(queue, actions, DEFINITION, NOW);
    }

    private Dispatcher dispatcher(RunExecutor executor) {
        return EngineUnderTest.dispatcher(queue, executor, 1, 32, NOW);
    }
}
