package dev.flowline.runs;

import dev.flowline.platform.json.Fields;
import dev.flowline.platform.security.Actor;

import java.util.Map;
import java.util.UUID;

/**
 * Something a person did to a workspace's runs: started one by hand, canceled one, ran one again, requeued or
 * discarded a dead letter. Fired inside the transaction of the action, so an observer (the audit log) records it in
 * the same commit; an answer that changed nothing (a repeated Idempotency-Key, a refusal by the quota) fires nothing.
 * Never the run's input or output: they are the tenant's data, read through the run itself.
 */
public record RunActivity(String event, Actor actor, UUID workspaceId, String objectType, UUID objectId,
                          Map<String, Object> before, Map<String, Object> after) {

    public static RunActivity started(UUID userId, WorkflowRun run) {
        return new RunActivity("run.started", Actor.user(userId), run.workspaceId(), "run", run.id(), Fields.of(),
                Fields.of("workflowId", run.workflowId(), "workflowVersion", run.workflowVersion()));
    }

    /** A queued run is CANCELED at once; a running one is asked to stop ({@code cancelRequested}). */
    public static RunActivity canceled(UUID userId, WorkflowRun run) {
        return new RunActivity("run.canceled", Actor.user(userId), run.workspaceId(), "run", run.id(), Fields.of(),
                Fields.of("status", run.status().name(), "cancelRequested", run.cancelRequested()));
    }

    public static RunActivity rerun(UUID userId, WorkflowRun original, WorkflowRun rerun) {
        return new RunActivity("run.rerun", Actor.user(userId), rerun.workspaceId(), "run", rerun.id(),
                Fields.of(), Fields.of("rerunOf", original.id(), "workflowId", rerun.workflowId()));
    }

    public static RunActivity deadLetterRequeued(UUID userId, DeadLetter letter, WorkflowRun run) {
        return new RunActivity("dead_letter.requeued", Actor.user(userId), letter.workspaceId(), "dead_letter",
                letter.id(), Fields.of("runId", letter.runId()), Fields.of("runId", run.id()));
    }

    public static RunActivity deadLetterDiscarded(UUID userId, UUID workspaceId, UUID deadLetterId) {
        return new RunActivity("dead_letter.discarded", Actor.user(userId), workspaceId, "dead_letter", deadLetterId,
                Fields.of(), Fields.of());
    }
}
