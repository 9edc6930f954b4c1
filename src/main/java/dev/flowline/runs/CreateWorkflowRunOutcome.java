package dev.flowline.runs;

/**
 * What asking for a run did: created it, found the run that an earlier request with the same key created (answered
 * again, 200 instead of 201), or was refused by the workspace's run quota.
 */
public sealed interface CreateWorkflowRunOutcome {

    record Created(WorkflowRun run) implements CreateWorkflowRunOutcome {
    }

    record AlreadyExisted(WorkflowRun run) implements CreateWorkflowRunOutcome {
    }

    record RefusedByQuota(int allocation) implements CreateWorkflowRunOutcome {
    }
}
