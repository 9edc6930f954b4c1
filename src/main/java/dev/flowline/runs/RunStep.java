package dev.flowline.runs;

import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/** The result of one node in one attempt of a run; {@code input} is what the node was given (templates resolved). */
public record RunStep(UUID id, UUID runId, String nodeId, StepStatus status, int attempt, JsonObject output,
                      String error, Instant startedAt, Instant finishedAt, JsonObject input) {

    public enum StepStatus { RUNNING, SUCCEEDED, FAILED, SKIPPED }
}
