package dev.flowline.workflows.api;

import dev.flowline.platform.pagination.Page;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.rest.ETags;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.workflows.WorkflowService;
import dev.flowline.workflows.WorkflowView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Workflows of a workspace and their versions. Members write; viewers read. */
@Path("/workspaces/{workspaceId}/workflows")
@Tag(name = "Workflows")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowsResource {

    /** In the OpenAPI document: the definition format, from the node types themselves. */
    private static final String DEFINITION_DOC = "The definition is {\"nodes\": [{\"id\", \"type\", \"params\"}],"
            + " \"edges\": [{\"from\", \"to\", \"when\"}]} with exactly one trigger node, no cycles, every node reachable"
            + " from the trigger; edges out of logic.condition carry \"when\": \"true\" or \"false\". Invalid"
            + " definitions answer 400 naming the node and field. Node types: see the Workflows tag.";

    @Inject
    WorkflowService workflows;

    @Inject
    CurrentSession currentSession;

    @Context
    UriInfo uriInfo;

    @POST
    @Operation(operationId = "createWorkflow", summary = "Create a workflow (member or above); a webhook trigger's secret is answered once here",
            description = DEFINITION_DOC)
    @APIResponse(responseCode = "201", description = "Created; ETag is its version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid definition, naming the node and field")
    public Response create(@PathParam("workspaceId") UUID workspaceId,
                           @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                   schema = @Schema(implementation = WorkflowRequest.class),
                                   examples = @ExampleObject(name = "manual trigger, one data step",
                                           value = "{\"name\":\"Greeter\",\"concurrencyLimit\":2,\"definition\":{\"nodes\":["
                                                   + "{\"id\":\"start\",\"type\":\"trigger.manual\",\"params\":{}},"
                                                   + "{\"id\":\"set\",\"type\":\"data.set\",\"params\":{\"values\":"
                                                   + "{\"greeting\":\"Hello {{input.name}}\"}}}],"
                                                   + "\"edges\":[{\"from\":\"start\",\"to\":\"set\"}]}}")))
                           @NotNull @Valid WorkflowRequest body) {
        WorkflowView created = workflows.create(workspaceId, currentSession.userId(), body.toDraft());
        return Response.created(uriInfo.getAbsolutePathBuilder().path(created.workflow().id().toString()).build())
                .tag(ETags.of(created.workflow().version()))
                .entity(WorkflowResponse.of(created, uriInfo)).build();
    }

    @GET
    @Operation(operationId = "listWorkflows", summary = "Workflows, oldest first (keyset pagination: limit, cursor)")
    public Page<WorkflowResponse> list(@PathParam("workspaceId") UUID workspaceId, @QueryParam("limit") Integer limit,
                                       @QueryParam("cursor") String cursor) {
        return workflows.list(workspaceId, currentSession.userId(), cursor, limit).map(WorkflowResponse::summary);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getWorkflow", summary = "A workflow with its current definition; the ETag is its version")
    public Response get(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id) {
        WorkflowView view = workflows.get(workspaceId, id, currentSession.userId());
        return Response.ok(WorkflowResponse.of(view, uriInfo)).tag(ETags.of(view.workflow().version())).build();
    }

    @PUT
    @Path("/{id}")
    @Operation(operationId = "updateWorkflow", summary = "Replace a workflow (If-Match required); a changed definition becomes a new version",
            description = DEFINITION_DOC)
    @APIResponse(responseCode = "412", description = "The workflow changed since the ETag in If-Match")
    @APIResponse(responseCode = "428", description = "If-Match is missing")
    @APIResponse(responseCode = "200", description = "Replaced; the workflow with its new ETag",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowResponse.class)))
    public Response update(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id,
                           @NotNull @Valid WorkflowRequest body, @HeaderParam("If-Match") String ifMatch) {
        WorkflowView view = workflows.update(workspaceId, id, currentSession.userId(), body.toDraft(),
                ETags.expectedVersion(ifMatch));
        return Response.ok(WorkflowResponse.of(view, uriInfo)).tag(ETags.of(view.workflow().version())).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteWorkflow", summary = "Delete a workflow with its versions, runs, schedule and webhook")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id) {
        workflows.delete(workspaceId, id, currentSession.userId());
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/versions")
    @Operation(operationId = "listWorkflowVersions", summary = "Definition versions, newest first (limit; cursor is the last number seen)")
    public Page<VersionResponse> versions(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id,
                                          @QueryParam("limit") Integer limit, @QueryParam("cursor") Integer cursor) {
        return workflows.versions(workspaceId, id, currentSession.userId(), cursor, limit).map(VersionResponse::of);
    }

    @GET
    @Path("/{id}/versions/{number}")
    @Operation(operationId = "getWorkflowVersion", summary = "One version of the definition")
    public VersionResponse version(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id,
                                   @PathParam("number") int number) {
        return VersionResponse.of(workflows.version(workspaceId, id, number, currentSession.userId()));
    }

    @POST
    @Path("/{id}/versions/{number}/restore")
    @Operation(operationId = "restoreWorkflowVersion", summary = "Make a copy of an old version the current one (If-Match optional)")
    public Response restore(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id,
                            @PathParam("number") int number, @HeaderParam("If-Match") String ifMatch) {
        WorkflowView view = workflows.restore(workspaceId, id, number, currentSession.userId(), ETags.expectedVersion(ifMatch));
        return Response.ok(WorkflowResponse.of(view, uriInfo)).tag(ETags.of(view.workflow().version())).build();
    }
}
