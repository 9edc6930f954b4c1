package dev.flowline.runs;

import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/** The result of one node in one attempt of a run; {@code input} is what the node was given (templates resolved). */
public record RunStep(UUID id, UUID runId, String nodeId, StepStatus status, int attempt, JsonObject output,
                      String error, Instant startedAt, Instant finishedAt, JsonObject input) {

    /** WAITING: the node parked its run (a delay, a resume URL, child runs); its output says what it waits for. */
    public enum StepStatus { RUNNING, SUCCEEDED, FAILED, SKIPPED, WAITING }
}
