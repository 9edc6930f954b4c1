/**
 * Runs of workflow versions: the {@link dev.flowline.runs.RunLauncher} every trigger uses (idempotency keys, run
 * quota), listing, cancel, rerun, steps and dead letters. Uses {@code workflows}, {@code workspaces} and
 * {@code platform}; knows nothing of what triggered a run beyond its {@link dev.flowline.runs.RunTrigger}.
 */
package dev.flowline.runs;
