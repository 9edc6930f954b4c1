package dev.flowline.workflows.api;

import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.WorkflowDraft;
import dev.flowline.workflows.definition.NodeType;
import dev.flowline.platform.rest.ApiContract;
import org.eclipse.microprofile.openapi.models.tags.Tag;

/**
 * Puts the workflow definition format, every node type's parameters, the retry policy, concurrency and error workflows into the
 * OpenAPI document (the "Workflows" tag), generated from the same constants the validator enforces, so the two
 * cannot drift. Registered with
 * {@code mp.openapi.filter}, which takes one class: it extends the platform's {@link ApiContract}.
 */
public class WorkflowDocumentation extends ApiContract {

    static final String TAG = "Workflows";

    static final String CONCURRENCY = """
            **Concurrency** (`concurrencyLimit`, 1 to 100; default %d): how many runs of the workflow execute at \
            once, on all instances together (counted exactly when runs are claimed). Runs beyond it wait queued. \
            Webhook deliveries and schedules run concurrently by default, as other workflow engines do; \
            set 1 for runs that must not overlap (each run sees the previous one's effects), or more for throughput \
            against services that take it.""".formatted(WorkflowDraft.DEFAULT_CONCURRENCY_LIMIT);

    static final String ERROR_WORKFLOWS = """
            **Error workflows** (`errorWorkflowId`): another workflow of the same workspace (not the workflow itself); \
            null or absent clears it, and deleting that workflow clears it too. When a run is dead-lettered, one run \
            of the error workflow starts (trigger `ERROR`, counted against the run quota like any run) with the input \
            `{"workflowId", "workflowName", "runId", "failedNodeId", "error", "attempt", "runUrl"}` (`runUrl`: the \
            run's API path). A run of trigger `ERROR` that is dead-lettered starts no other.""";

    @Override
    public Tag filterTag(Tag tag) {
        if (TAG.equals(tag.getName())) {
            tag.setDescription(NodeType.documentation() + "\n" + RetryPolicy.documentation() + "\n\n" + CONCURRENCY
                    + "\n\n" + ERROR_WORKFLOWS);
        }
        return super.filterTag(tag);
    }
}
