package dev.flowline.runs;

import dev.flowline.workflows.Workflow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * {@link RunLauncher#launch} in a transaction of its own: a launch that fails rolls back alone, and the caller's
 * transaction (holding the error-run request's lock) stays free to record why instead of rolling back with it and
 * leaving the request first in line for ever.
 */
@ApplicationScoped
public class SeparateRunLaunch {

    @Inject
    RunLauncher launcher;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public CreateWorkflowRunOutcome launch(Workflow workflow, RunRequest request) {
        return launcher.launch(workflow, request);
    }
}
