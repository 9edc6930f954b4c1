package dev.flowline.engine.nodes;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.Map;

/**
 * What a node of a run can refer to: the run's {@code input} ({@code {{input.path}}}) and the outputs of the nodes
 * that finished before it, by node id ({@code {{nodes.<id>.path}}}).
 */
public record RunContext(JsonObject input, Map<String, JsonValue> outputs) {

    public RunContext {
        input = input == null ? JsonValue.EMPTY_JSON_OBJECT : input;
        outputs = Map.copyOf(outputs);
    }
}
