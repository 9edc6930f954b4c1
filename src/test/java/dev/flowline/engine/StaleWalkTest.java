package dev.flowline.engine;

import dev.flowline.engine.nodes.NodeActions;
import dev.flowline.engine.nodes.RunContext;
import dev.flowline.engine.nodes.StepOutcome;
import dev.flowline.engine.nodes.StepScope;
import dev.flowline.runs.StepRecord;
import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.definition.DefinitionValidator;
import dev.flowline.workflows.definition.Node;
import dev.flowline.workflows.definition.WorkflowDefinition;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A walk that resumes after its instance froze past its lease (SIGSTOP, a long pause) must not send a new request
 * for a run another instance has taken over: before a step with effects, if the lease may have lapsed since the walk
 * last confirmed it, it confirms it with a checkpoint first, and stops if the lease is lost.
 */
class StaleWalkTest {

    private static final Instant CLAIMED = Instant.parse("2026-12-07T10:00:00Z");
    private static final WorkflowDefinition DEFINITION = DefinitionValidator.validate(Json.createReader(
            new StringReader("""
                    {"nodes":[{"id":"start","type":"trigger.manual","params":{}},
                      {"id":"set","type":"data.set","params":{"values":{"a":1}}},
                      {"id":"call","type":"http.request","params":{"url":"https://example.com/"}}],
                     "edges":[{"from":"start","to":"set"},{"from":"set","to":"call"}]}""")).readObject());

    private final RecordingQueue queue = new RecordingQueue();
    private final AtomicInteger requests = new AtomicInteger();
    private final NodeActions scripted = new NodeActions() {
        @Override
        public StepOutcome run(Node node, RunContext context, StepScope scope) {
            return switch (node.type()) {
                case TRIGGER_MANUAL -> new StepOutcome.Done(JsonValue.EMPTY_JSON_OBJECT, context.input());
                case DATA_SET -> new StepOutcome.Done(node.params(), node.params().getJsonObject("values"));
                case HTTP_REQUEST -> {
                    requests.incrementAndGet();
                    yield new StepOutcome.Done(node.params(), Json.createObjectBuilder().add("status", 200).build());
                }
                default -> throw new IllegalStateException(node.type().wireName());
            };
        }
    };

    @Test
    void aWalkPastItsLeaseWhoseRunWasTakenOverSendsNoRequestAndWritesNothing() {
        queue.leaseLost = true;

        // the lease (a minute from the claim) ended while the instance was frozen
        walkAt(CLAIMED.plusSeconds(90));

        assertThat(requests).as("no request for a run another instance holds").hasValue(0);
        assertThat(queue.checkpoints).as("the lease was checked before the request").hasSize(1);
        assertThat(queue.written).isEmpty();
        assertThat(queue.succeeded).isEmpty();
        assertThat(queue.parkedUntil).isEmpty();
    }

    @Test
    void aWalkPastItsLeaseThatStillHoldsItGoesOn() {
        walkAt(CLAIMED.plusSeconds(90));

        assertThat(requests).hasValue(1);
        assertThat(queue.checkpoints).as("confirmed before the request, recorded after it").hasSize(2);
        assertThat(queue.succeeded).hasSize(1);
    }

    @Test
    void aWalkWellWithinItsLeaseChecksNothingBeforeTheRequest() {
        queue.leaseLost = true; // not asked before the request: the lease is known to be held until a minute

        walkAt(CLAIMED.plusSeconds(10));

        assertThat(requests).hasValue(1);
        assertThat(queue.checkpoints).as("only the one after the request, which finds the lease lost").hasSize(1);
        assertThat(queue.checkpoints.get(0)).extracting(StepRecord::nodeId).containsExactly("start", "set", "call");
        assertThat(queue.succeeded).isEmpty();
    }

    private void walkAt(Instant now) {
        EngineUnderTest.executor(queue, scripted, DEFINITION, now)
                .execute(EngineUnderTest.claimed(RetryPolicy.DEFAULT, CLAIMED), EngineUnderTest.lease());
    }
}
