package dev.flowline.engine.nodes;

import jakarta.json.JsonObject;

import java.time.Instant;

/**
 * What a node did: it finished with an output, or it parks the run until {@code until} (a delay's end, a wait's or a
 * call's deadline). A parked run holds no lease and no thread; it is claimed again at {@code until}, or earlier when
 * something wakes it (a resume URL, a child run's end), and then the node runs again and decides whether it is done.
 */
public sealed interface StepOutcome {

    /** The params the node was given, templates resolved, as recorded with the step. */
    JsonObject input();

    record Done(JsonObject input, JsonObject output) implements StepOutcome {
    }

    /** {@code waiting}: recorded as the WAITING step's output (what the node waits for), and given back on resume. */
    record Park(JsonObject input, Instant until, JsonObject waiting) implements StepOutcome {
    }
}
