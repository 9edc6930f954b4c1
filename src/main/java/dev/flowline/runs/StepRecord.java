package dev.flowline.runs;

import jakarta.json.JsonObject;

import java.time.Instant;

/** A step the engine finished, written together with the run's next change of state (one transaction). */
public record StepRecord(String nodeId, RunStep.StepStatus status, int attempt, JsonObject input, JsonObject output,
                         String error, Instant startedAt, Instant finishedAt) {
}
