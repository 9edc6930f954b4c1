package dev.flowline.workflows.definition;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.flowline.workflows.definition.DefinitionJson.EXAMPLE;
import static dev.flowline.workflows.definition.DefinitionJson.parse;
import static dev.flowline.workflows.definition.DefinitionJson.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class WorkflowDefinitionTest {

    @Test
    void theExampleRoundTripsThroughToJson() {
        WorkflowDefinition definition = valid(EXAMPLE);

        assertThat(definition.toJson()).isEqualTo(parse(EXAMPLE));
        assertThat(DefinitionValidator.validate(definition.toJson())).isEqualTo(definition);
    }

    @Test
    void theCanonicalFormAlwaysHasParamsAndWhenOnlyWhereSet() {
        WorkflowDefinition definition = valid("{'nodes': [{'id': 'start', 'type': 'trigger.manual'},"
                + " {'id': 'check', 'type': 'logic.condition', 'params': {'left': 1, 'operator': 'exists'}},"
                + " {'id': 'wait', 'type': 'flow.delay', 'params': {'seconds': 5}}],"
                + " 'edges': [{'from': 'start', 'to': 'check'}, {'from': 'check', 'to': 'wait', 'when': 'false'}]}");

        JsonObject json = definition.toJson();

        assertThat(json.getJsonArray("nodes").getJsonObject(0))
                .isEqualTo(parse("{'id': 'start', 'type': 'trigger.manual', 'params': {}}"));
        assertThat(json.getJsonArray("edges")).isEqualTo(parse(
                "[{'from': 'start', 'to': 'check'}, {'from': 'check', 'to': 'wait', 'when': 'false'}]"));
        assertThat(DefinitionValidator.validate(json)).isEqualTo(definition);
    }

    @Test
    void findsTheTriggerNodesAndEdges() {
        WorkflowDefinition definition = new WorkflowDefinition(
                List.of(new Node("a", NodeType.DATA_SET, Json.createObjectBuilder().add("values",
                                Json.createObjectBuilder().add("x", 1)).build()),
                        new Node("go", NodeType.TRIGGER_MANUAL, null)),
                List.of(new Edge("go", "a")));

        assertThat(definition.trigger().id()).isEqualTo("go");
        assertThat(definition.trigger().params()).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
        assertThat(definition.node("a")).map(Node::type).contains(NodeType.DATA_SET);
        assertThat(definition.node("zzz")).isEmpty();
        assertThat(definition.edgesFrom("go")).containsExactly(new Edge("go", "a", null));
        assertThat(definition.edgesFrom("a")).isEmpty();
    }

    @Test
    void aHandBuiltDefinitionWithoutTriggerSaysSo() {
        WorkflowDefinition definition = new WorkflowDefinition(List.of(), List.of());

        assertThatIllegalStateException().isThrownBy(definition::trigger);
    }
}
