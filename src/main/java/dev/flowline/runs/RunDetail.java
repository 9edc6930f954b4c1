package dev.flowline.runs;

import java.util.List;

/**
 * A run with the first {@value #EMBEDDED_STEPS} of its steps; {@code stepsNextCursor} (else null) continues them on
 * the run's steps list.
 */
public record RunDetail(WorkflowRun run, List<RunStep> steps, String stepsNextCursor) {

    /** As many as a page of the steps list may hold: a run with no more steps than this reads as it always did. */
    public static final int EMBEDDED_STEPS = 200;
}
