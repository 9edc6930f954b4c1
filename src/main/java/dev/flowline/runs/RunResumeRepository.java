package dev.flowline.runs;

import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * How the {@code flow.wait} nodes of runs ended, one row per run and node: the first of a resume call and the node's
 * timeout records it, and the other finds the place taken.
 */
public interface RunResumeRepository {

    /**
     * Records how the wait {@code nodeId} of run {@code runId} ended, in one statement and only if nothing was recorded
     * for it yet, the run is unfinished (QUEUED or RUNNING), and {@code nodeId} is a {@code flow.wait} node of the
     * run's version. Answers whether it was recorded: false means the wait already ended (or never could).
     */
    boolean record(UUID runId, String nodeId, RunResume.Outcome outcome, JsonValue body, Instant at);

    Optional<RunResume> find(UUID runId, String nodeId);
}
