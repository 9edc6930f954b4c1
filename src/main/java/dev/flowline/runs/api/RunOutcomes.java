package dev.flowline.runs.api;

import dev.flowline.runs.CreateWorkflowRunOutcome;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.workspaces.WorkspaceErrors.RunQuotaExceededException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** The HTTP answer to asking for a run: 201 + Location for a new run, 200 for the same run again, 402 refused. */
final class RunOutcomes {

    private RunOutcomes() {
    }

    static Response respond(CreateWorkflowRunOutcome outcome, UriInfo uriInfo, String workspaceId) {
        if (outcome instanceof CreateWorkflowRunOutcome.Created created) {
            WorkflowRun run = created.run();
            return Response.created(uriInfo.getBaseUriBuilder().path("workspaces").path(workspaceId).path("runs")
                    .path(run.id().toString()).build()).entity(RunResponse.of(run)).build();
        }
        if (outcome instanceof CreateWorkflowRunOutcome.AlreadyExisted existed) {
            return Response.ok(RunResponse.of(existed.run())).build();
        }
        throw new RunQuotaExceededException(((CreateWorkflowRunOutcome.RefusedByQuota) outcome).allocation());
    }
}
