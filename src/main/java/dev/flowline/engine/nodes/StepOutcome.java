package dev.flowline.engine.nodes;

import jakarta.json.JsonObject;

import java.time.Instant;

/** What a node did: it finished with an output, or it asks the run to wait (a delay) until a time. */
public sealed interface StepOutcome {

    /** The params the node was given, templates resolved, as recorded with the step. */
    JsonObject input();

    record Done(JsonObject input, JsonObject output) implements StepOutcome {
    }

    record Wait(JsonObject input, Instant until) implements StepOutcome {
    }
}
