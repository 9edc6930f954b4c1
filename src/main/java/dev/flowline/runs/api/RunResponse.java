package dev.flowline.runs.api;

import dev.flowline.runs.RunDetail;
import dev.flowline.runs.RunStatus;
import dev.flowline.runs.RunStep;
import dev.flowline.runs.RunTrigger;
import dev.flowline.runs.WorkflowRun;
import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A run; {@code steps} only when one run is read: its first 200, and {@code stepsNextCursor} when there are more
 * (continued by GET .../runs/{runId}/steps?cursor=...). {@code parentRunId}: the run whose {@code flow.call} or
 * {@code flow.forEach} node started this one (trigger CALL), else null.
 */
public record RunResponse(UUID id, UUID workflowId, int workflowVersion, RunStatus status, RunTrigger trigger,
                          JsonObject input, JsonObject output, String error, int attempt, String idempotencyKey,
                          Instant scheduledFor, String webhookDeliveryId, UUID rerunOf, boolean cancelRequested,
                          Instant queuedAt, Instant startedAt, Instant finishedAt, UUID parentRunId,
                          List<Step> steps, String stepsNextCursor) {

    /** One step: {@code input} is what the node was given (templates resolved), {@code output} what it answered. */
    public record Step(String nodeId, RunStep.StepStatus status, int attempt, JsonObject input, JsonObject output,
                       String error, Instant startedAt, Instant finishedAt) {

        static Step of(RunStep s) {
            return new Step(s.nodeId(), s.status(), s.attempt(), s.input(), s.output(), s.error(), s.startedAt(),
                    s.finishedAt());
        }
    }

    static RunResponse of(WorkflowRun run) {
        return of(run, null, null);
    }

    static RunResponse of(RunDetail detail) {
        return of(detail.run(), detail.steps().stream().map(Step::of).toList(), detail.stepsNextCursor());
    }

    private static RunResponse of(WorkflowRun r, List<Step> steps, String stepsNextCursor) {
        return new RunResponse(r.id(), r.workflowId(), r.workflowVersion(), r.status(), r.trigger(), r.input(),
                r.output(), r.error(), r.attempt(), r.idempotencyKey(), r.scheduledFor(), r.webhookDeliveryId(),
                r.rerunOf(), r.cancelRequested(), r.queuedAt(), r.startedAt(), r.finishedAt(), r.parentRunId(), steps,
                stepsNextCursor);
    }
}
