package dev.flowline.workflows.definition;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Test fixtures: definitions written with single quotes (JSON with {@code '} for {@code "}), and their problems. */
final class DefinitionJson {

    /** The example of the public API documentation. */
    static final String EXAMPLE = """
            {"nodes": [{"id": "start", "type": "trigger.webhook", "params": {}},
                       {"id": "greet", "type": "data.set", "params": {"values": {"message": "Hello {{input.name}}"}}}],
             "edges": [{"from": "start", "to": "greet"}]}""";

    private DefinitionJson() {
    }

    static JsonValue parse(String singleQuoted) {
        try (JsonReader reader = Json.createReader(new StringReader(singleQuoted.replace('\'', '"')))) {
            return reader.readValue();
        }
    }

    static WorkflowDefinition valid(String singleQuoted) {
        return DefinitionValidator.validate(parse(singleQuoted));
    }

    /** The problems reported for a definition that must be refused. */
    static List<FieldError> errors(String singleQuoted) {
        return errors(parse(singleQuoted));
    }

    static List<FieldError> errors(JsonValue json) {
        return assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> DefinitionValidator.validate(json))
                .actual().errors();
    }

    static List<String> fields(String singleQuoted) {
        return errors(singleQuoted).stream().map(FieldError::field).toList();
    }

    /** A manual trigger {@code start} leading to the one node given, whose id must be {@code n}. */
    static String afterTrigger(String node) {
        return "{'nodes': [{'id': 'start', 'type': 'trigger.manual'}, " + node + "],"
                + " 'edges': [{'from': 'start', 'to': 'n'}]}";
    }

    /** {@link #afterTrigger} with a node {@code n} of the given type and params. */
    static String node(String type, String params) {
        return afterTrigger("{'id': 'n', 'type': '" + type + "', 'params': " + params + "}");
    }
}
