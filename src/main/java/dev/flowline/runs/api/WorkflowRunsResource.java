package dev.flowline.runs.api;

import dev.flowline.platform.input.QueryValues;
import dev.flowline.platform.pagination.Page;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.runs.RunService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Runs of one workflow. */
@Path("/workspaces/{workspaceId}/workflows/{id}/runs")
@Tag(name = "Runs")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowRunsResource {

    @Inject
    RunService runs;

    @Inject
    CurrentSession currentSession;

    @Context
    UriInfo uriInfo;

    @POST
    @Operation(operationId = "startRun", summary = "Start a run of the current version (member or above)",
            description = "With an Idempotency-Key header, repeating the request answers the same run (200) instead of"
                    + " starting another (201). Each new run takes one unit of the workspace's run quota.")
    @APIResponse(responseCode = "201", description = "Queued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunResponse.class)))
    @APIResponse(responseCode = "200", description = "The run an earlier request with this Idempotency-Key started",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunResponse.class)))
    @APIResponse(responseCode = "402", description = "The plan's runs for this period are used up")
    @APIResponse(responseCode = "409", description = "The workflow is disabled")
    @Consumes(MediaType.APPLICATION_JSON) // a POST without a body and without Content-Type is let through too
    public Response start(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id,
                          @RequestBody(description = "Optional: {\"input\": {...}}; no body starts the run with input {}",
                                  content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                          schema = @Schema(implementation = CreateRunRequest.class),
                                          examples = @ExampleObject(name = "input", value = "{\"input\":{\"name\":\"Bo\"}}")))
                          String body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        // Read by hand so that a POST without a body (curl -X POST) starts a run with input {}.
        JsonObject input = CreateRunRequest.parse(body).input();
        return RunOutcomes.respond(runs.start(workspaceId, id, currentSession.userId(), input, idempotencyKey),
                uriInfo, workspaceId.toString());
    }

    @GET
    @Operation(operationId = "listWorkflowRuns", summary = "Runs of the workflow, newest first; filter by status (comma-separated) and queue time")
    public Page<RunResponse> list(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id,
                                  @QueryParam("status") String status,
                                  @Parameter(description = "Queued at or after this time (inclusive), RFC 3339", schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                                  @QueryParam("from") String from,
                                  @Parameter(description = "Queued before this time (exclusive), RFC 3339", schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                                  @QueryParam("to") String to, @QueryParam("limit") Integer limit,
                                  @QueryParam("cursor") String cursor) {
        return runs.list(workspaceId, id, currentSession.userId(), RunFilters.statuses(status),
                QueryValues.time("from", from), QueryValues.time("to", to), cursor, limit).map(RunResponse::of);
    }
}
