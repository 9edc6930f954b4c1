package dev.flowline.runs;

import dev.flowline.workflows.RetryPolicy;

/**
 * A run leased to one engine instance, with what the engine needs of its workflow as the claim read it (so that
 * running it takes no other read). {@code resumed}: it had started before this claim (a delay ended, a retry is
 * due, or the instance that held it stopped renewing its lease), so finished steps must not run again.
 * {@code traceParent}: the W3C {@code traceparent} stored when the run was accepted, whose trace its execution
 * continues; null when none was (tracing off, or a schedule's run).
 */
public record ClaimedRun(WorkflowRun run, boolean resumed, boolean workflowEnabled, RetryPolicy retryPolicy,
                         String traceParent) {

    /** A run outside any trace. */
    public ClaimedRun(WorkflowRun run, boolean resumed, boolean workflowEnabled, RetryPolicy retryPolicy) {
        this(run, resumed, workflowEnabled, retryPolicy, null);
    }
}
