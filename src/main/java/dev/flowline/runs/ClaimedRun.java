package dev.flowline.runs;

/**
 * A run leased to one engine instance. {@code resumed}: it had started before this claim (a delay ended, a retry is
 * due, or the instance that held it stopped renewing its lease), so finished steps must not run again.
 */
public record ClaimedRun(WorkflowRun run, boolean resumed) {
}
