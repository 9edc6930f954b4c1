package dev.flowline.architecturefixture.cycle.runs;

import dev.flowline.architecturefixture.cycle.workflows.Workflow;

public class Run {
    Workflow workflow;
}
