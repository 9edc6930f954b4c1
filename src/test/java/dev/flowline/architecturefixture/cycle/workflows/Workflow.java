package dev.flowline.architecturefixture.cycle.workflows;

import dev.flowline.architecturefixture.cycle.runs.Run;

public class Workflow {
    Run lastRun;
}
