package dev.flowline.runs;

import java.util.List;

/** A run with its steps. */
public record RunDetail(WorkflowRun run, List<RunStep> steps) {
}
