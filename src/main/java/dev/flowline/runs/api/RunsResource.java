package dev.flowline.runs.api;

import dev.flowline.platform.input.QueryValues;
import dev.flowline.platform.pagination.Page;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.runs.RunService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Runs of a whole workspace. */
@Path("/workspaces/{workspaceId}/runs")
@Tag(name = "Runs")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {

    @Inject
    RunService runs;

    @Inject
    CurrentSession currentSession;

    @Context
    UriInfo uriInfo;

    @GET
    @Operation(operationId = "listRuns", summary = "Runs of the workspace, newest first; filter by status (comma-separated), queue time"
            + " (from inclusive, to exclusive, RFC 3339) and parent run (a run's child runs)")
    public Page<RunResponse> list(@PathParam("workspaceId") UUID workspaceId, @QueryParam("status") String status,
                                  @Parameter(description = "Queued at or after this time (inclusive), RFC 3339", schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                                  @QueryParam("from") String from,
                                  @Parameter(description = "Queued before this time (exclusive), RFC 3339", schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                                  @QueryParam("to") String to,
                                  @Parameter(description = "Only the runs that this run's flow.call and flow.forEach nodes started", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                                  @QueryParam("parentRunId") String parentRunId,
                                  @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return runs.list(workspaceId, null, QueryValues.uuid("parentRunId", parentRunId), currentSession.userId(), RunFilters.statuses(status),
                QueryValues.time("from", from), QueryValues.time("to", to), cursor, limit).map(RunResponse::of);
    }

    @GET
    @Path("/{runId}")
    @Operation(operationId = "getRun", summary = "A run with its steps")
    public RunResponse get(@PathParam("workspaceId") UUID workspaceId, @PathParam("runId") UUID runId) {
        return RunResponse.of(runs.get(workspaceId, runId, currentSession.userId()));
    }

    @GET
    @Path("/{runId}/steps")
    @Operation(operationId = "listRunSteps", summary = "A run's steps in the order they started (reading the run embeds the first 200)")
    public Page<RunResponse.Step> steps(@PathParam("workspaceId") UUID workspaceId, @PathParam("runId") UUID runId,
                                        @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return runs.steps(workspaceId, runId, currentSession.userId(), cursor, limit).map(RunResponse.Step::of);
    }

    @POST
    @Path("/{runId}/cancel")
    @Operation(operationId = "cancelRun", summary = "Cancel: a queued run at once, a running one when the engine reaches its next step")
    public RunResponse cancel(@PathParam("workspaceId") UUID workspaceId, @PathParam("runId") UUID runId) {
        return RunResponse.of(runs.cancel(workspaceId, runId, currentSession.userId()));
    }

    @POST
    @Path("/{runId}/rerun")
    @Operation(operationId = "rerunRun", summary = "A new run of the same workflow version with the same input")
    @APIResponse(responseCode = "201", description = "Queued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunResponse.class)))
    @APIResponse(responseCode = "402", description = "The plan's runs for this period are used up")
    public Response rerun(@PathParam("workspaceId") UUID workspaceId, @PathParam("runId") UUID runId) {
        return RunOutcomes.respond(runs.rerun(workspaceId, runId, currentSession.userId()), uriInfo, workspaceId.toString());
    }
}
