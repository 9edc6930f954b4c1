package dev.flowline.engine;

import dev.flowline.engine.nodes.NodeActions;
import dev.flowline.engine.nodes.RunContext;
import dev.flowline.engine.nodes.StepFailedException;
import dev.flowline.engine.nodes.StepOutcome;
import dev.flowline.engine.nodes.StepScope;
import dev.flowline.runs.RunStep.StepStatus;
import dev.flowline.runs.StepRecord;
import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.definition.DefinitionValidator;
import dev.flowline.workflows.definition.Node;
import dev.flowline.workflows.definition.WorkflowDefinition;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The walk of a run's graph ({@link RunExecutor}): which nodes run, which are skipped, what runs at once, what a
 * merge gathers, and what a parked or failed branch leaves written. Nodes are scripted: an {@code http.request}
 * (a step with effects) answers its id, after {@link #slowNode} waits, and fails when its URL says so.
 */
class ParallelBranchesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private final RecordingQueue queue = new RecordingQueue();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    /** Counted down by each scripted HTTP step as it starts; a "wait" step waits for it to reach zero. */
    private CountDownLatch allStarted = new CountDownLatch(0);

    private final NodeActions scripted = new NodeActions() {
        @Override
        public StepOutcome run(Node node, RunContext context, StepScope scope) {
            return switch (node.type()) {
                case TRIGGER_MANUAL -> new StepOutcome.Done(JsonValue.EMPTY_JSON_OBJECT, context.input());
                case LOGIC_CONDITION -> new StepOutcome.Done(node.params(),
                        Json.createObjectBuilder().add("result", node.params().getBoolean("expression", false)
                                || node.params().getString("expression").equals("true")).build());
                case DATA_SET -> new StepOutcome.Done(node.params(), node.params().getJsonObject("values"));
                case FLOW_DELAY -> new StepOutcome.Park(node.params(), NOW.plusSeconds(
                        node.params().getInt("seconds")), Json.createObjectBuilder().add("until", "later").build());
                case HTTP_REQUEST -> http(node);
                default -> throw new IllegalStateException(node.type().wireName());
            };
        }
    };

    private StepOutcome http(Node node) {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            allStarted.countDown();
            String url = node.params().getString("url");
            if (url.contains("wait")) {
                try {
                    // returns at once if the others started too; else after the timeout, one at a time
                    allStarted.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (url.contains("fail")) {
                throw new StepFailedException("HTTP 500 from " + node.id(), true);
            }
            return new StepOutcome.Done(node.params(), Json.createObjectBuilder().add("from", node.id()).build());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Test
    void stepsWithEffectsOfParallelBranchesRunAtOnceAndTheMergeGathersThem() {
        allStarted = new CountDownLatch(3);
        run(definition("""
                {"nodes":[{"id":"start","type":"trigger.manual","params":{}},
                  %s, %s, %s,
                  {"id":"join","type":"flow.merge","params":{}}],
                 "edges":[{"from":"start","to":"a"},{"from":"start","to":"b"},{"from":"start","to":"c"},
                   {"from":"a","to":"join"},{"from":"b","to":"join"},{"from":"c","to":"join"}]}"""
                .formatted(http("a", "wait"), http("b", "wait"), http("c", "wait"))));

        assertThat(mostInFlight.get()).as("the three requests were in flight together").isEqualTo(3);
        assertThat(queue.succeeded).singleElement().satisfies(success ->
                assertThat(success.output()).isEqualTo(json("""
                        {"a":{"from":"a"},"b":{"from":"b"},"c":{"from":"c"}}""")));
    }

    @Test
    void noMoreStepsOfOneRunThanTheBranchConcurrencyAreInFlight() {
        allStarted = new CountDownLatch(3);
        RunExecutor executor = EngineUnderTest.executor(queue, scripted, definition("""
                {"nodes":[{"id":"start","type":"trigger.manual","params":{}}, %s, %s, %s],
                 "edges":[{"from":"start","to":"a"},{"from":"start","to":"b"},{"from":"start","to":"c"}]}"""
                .formatted(http("a", "wait"), http("b", "wait"), http("c", "wait"))), NOW);
        executor.branchConcurrency = 2;

        executor.execute(EngineUnderTest.claimed(RetryPolicy.DEFAULT, NOW), EngineUnderTest.lease());

        assertThat(mostInFlight.get()).isEqualTo(2);
        assertThat(queue.succeeded).hasSize(1);
    }

    @Test
    void aBranchNotTakenIsSkippedWithWhatOnlyItLeadsToAndDoesNotHoldTheJoin() {
        run(definition("""
                {"nodes":[{"id":"start","type":"trigger.manual","params":{}},
                  {"id":"check","type":"logic.condition","params":{"expression":"false"}},
                  {"id":"t1","type":"data.set","params":{"values":{"t":1}}},
                  {"id":"t2","type":"data.set","params":{"values":{"t":2}}},
                  {"id":"other","type":"data.set","params":{"values":{"o":1}}},
                  {"id":"join","type":"flow.merge","params":{}},
                  {"id":"after","type":"data.set","params":{"values":{"done":true}}}],
                 "edges":[{"from":"start","to":"check"},{"from":"check","to":"t1","when":"true"},
                   {"from":"t1","to":"t2"},{"from":"t2","to":"join"},{"from":"start","to":"other"},
                   {"from":"other","to":"join"},{"from":"join","to":"after"}]}"""));

        assertThat(queue.written).extracting(StepRecord::nodeId)
                .containsExactlyInAnyOrder("start", "check", "other", "join", "after");
        assertThat(queue.written).filteredOn(step -> step.nodeId().equals("join")).singleElement()
                .satisfies(join -> assertThat(join.output()).isEqualTo(json("{\"other\":{\"o\":1}}")));
        assertThat(queue.succeeded.get(0).output()).isEqualTo(json("{\"done\":true}"));
    }

    @Test
    void aParkedBranchHoldsOnlyWhatFollowsItAndTheRunParksUntilItIsDue() {
        run(definition("""
                {"nodes":[{"id":"start","type":"trigger.manual","params":{}},
                  {"id":"pause","type":"flow.delay","params":{"seconds":60}},
                  {"id":"late","type":"data.set","params":{"values":{"late":true}}},
                  %s,
                  {"id":"join","type":"flow.merge","params":{}}],
                 "edges":[{"from":"start","to":"pause"},{"from":"pause","to":"late"},{"from":"start","to":"fetch"},
                   {"from":"late","to":"join"},{"from":"fetch","to":"join"}]}""".formatted(http("fetch", "ok"))));

        assertThat(queue.parkedUntil).containsExactly(NOW.plusSeconds(60));
        assertThat(queue.written).extracting(StepRecord::nodeId, StepRecord::status).containsExactlyInAnyOrder(
                tuple("start", StepStatus.SUCCEEDED), tuple("fetch", StepStatus.SUCCEEDED),
                tuple("pause", StepStatus.WAITING));
        assertThat(queue.succeeded).isEmpty();
    }

    @Test
    void aFailedBranchLetsTheStepInFlightFinishAndKeepsItForTheRetry() {
        allStarted = new CountDownLatch(2);
        run(definition("""
                {"nodes":[{"id":"start","type":"trigger.manual","params":{}}, %s, %s,
                  {"id":"join","type":"flow.merge","params":{}}],
                 "edges":[{"from":"start","to":"good"},{"from":"start","to":"bad"},
                   {"from":"good","to":"join"},{"from":"bad","to":"join"}]}"""
                .formatted(http("good", "wait"), http("bad", "fail"))));

        assertThat(queue.retried).hasSize(1);
        assertThat(queue.written).extracting(StepRecord::nodeId, StepRecord::status).containsExactlyInAnyOrder(
                tuple("start", StepStatus.SUCCEEDED), tuple("good", StepStatus.SUCCEEDED),
                tuple("bad", StepStatus.FAILED));
    }

    private void run(WorkflowDefinition definition) {
        EngineUnderTest.executor(queue, scripted, definition, NOW)
                .execute(EngineUnderTest.claimed(RetryPolicy.DEFAULT, NOW), EngineUnderTest.lease());
    }

    private static String http(String id, String behaviour) {
        return "{\"id\":\"" + id + "\",\"type\":\"http.request\",\"params\":{\"url\":\"https://example.com/"
                + behaviour + "\"}}";
    }

    private static WorkflowDefinition definition(String json) {
        return DefinitionValidator.validate(json(json));
    }

    private static JsonObject json(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }
}
