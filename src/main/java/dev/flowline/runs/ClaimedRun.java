package dev.flowline.runs;

import dev.flowline.workflows.RetryPolicy;

/**
 * A run leased to one engine instance, with what the engine needs of its workflow as the claim read it (so that
 * running it takes no other read). {@code resumed}: it had started before this claim (a delay ended, a retry is
 * due, or the instance that held it stopped renewing its lease), so finished steps must not run again.
 */
public record ClaimedRun(WorkflowRun run, boolean resumed, boolean workflowEnabled, RetryPolicy retryPolicy) {
}
