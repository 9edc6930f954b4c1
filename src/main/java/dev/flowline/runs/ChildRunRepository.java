package dev.flowline.runs;

import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Child runs ({@code flow.call}, {@code flow.forEach}) as their parent sees them. Implemented by
 * {@code JpaChildRunRepository}; a child is inserted like any run ({@link RunLauncher}, {@link NewRun#child()}).
 */
public interface ChildRunRepository {

    /** A child by its key: what {@link RunLauncher} answers when the key already has a run. */
    Optional<WorkflowRun> findChild(ChildOf child);

    /**
     * The children one try of a node started, by item index, without their input and output (read on every
     * wake-up of a forEach of up to max-items children: only what decides the next move).
     */
    List<ChildRun> listChildren(UUID parentRunId, String nodeId, int parentAttempt);

    /** The outputs of the SUCCEEDED children of one try of a node, by item index ({@code {}} for none). */
    Map<Integer, JsonObject> childOutputs(UUID parentRunId, String nodeId, int parentAttempt);

    /** The run and the runs above it, from the run up (one recursive query). */
    CallChain callChain(UUID runId);

    /** How many FAILED steps node {@code nodeId} of the run has: its try number is that + 1. */
    int failedSteps(UUID runId, String nodeId);

    /**
     * Cancels every unfinished run below {@code runId} (of workspace {@code workspaceId}), at any depth, exactly as
     * {@link RunRepository#cancelRun} does for one: queued ones CANCELED now, running ones marked cancel-requested.
     * Answers the quota units of the canceled ones that never started, for the caller to give back.
     */
    List<TakenUnit> cancelDescendants(UUID workspaceId, UUID runId, Instant now);

    /** A child of a node's try: its item's position, and what its parent needs to know of its state. */
    record ChildRun(int itemIndex, UUID id, RunStatus status, String error, Instant queuedAt) {

        public static ChildRun of(int itemIndex, WorkflowRun run) {
            return new ChildRun(itemIndex, run.id(), run.status(), run.error(), run.queuedAt());
        }
    }

    /** A run's {@code callDepth} (0 when no run started it) and the workflows of it and the runs above it. */
    record CallChain(int callDepth, List<UUID> workflowIds) {
    }
}
