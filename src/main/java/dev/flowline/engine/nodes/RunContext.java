package dev.flowline.engine.nodes;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.Map;

/**
 * What a node of a run can refer to: the run's {@code input} ({@code {{input.path}}}) and the outputs of the nodes
 * that finished before it, by node id ({@code {{nodes.<id>.path}}}); the run's own names ({@code {{run.id}}},
 * {@code {{run.resumeUrls.<id>}}}), null where the run is not known; and the {@link StepBudget} its templates may
 * spend (one context per step: the budget counts what the step's templates have produced so far).
 */
public record RunContext(JsonObject input, Map<String, JsonValue> outputs, StepBudget budget, RunVariables run) {

    public RunContext {
        input = input == null ? JsonValue.EMPTY_JSON_OBJECT : input;
        outputs = Map.copyOf(outputs);
        budget = budget == null ? StepBudget.defaults(null) : budget;
    }

    public RunContext(JsonObject input, Map<String, JsonValue> outputs, StepBudget budget) {
        this(input, outputs, budget, null);
    }

    /** The same context, knowing the run. */
    public RunContext with(RunVariables variables) {
        return new RunContext(input, outputs, budget, variables);
    }

    /** With the default budget ({@link StepBudget#defaults}). */
    public RunContext(JsonObject input, Map<String, JsonValue> outputs) {
        this(input, outputs, null);
    }
}
