package dev.flowline.runs;

import java.util.UUID;

/** Fired by the engine after a run ended (its final state is committed), for whoever waits on it in this instance. */
public record RunFinished(UUID runId) {
}
