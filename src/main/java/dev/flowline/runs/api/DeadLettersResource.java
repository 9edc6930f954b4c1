package dev.flowline.runs.api;

import dev.flowline.platform.pagination.Page;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.runs.DeadLetterService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Dead letters of a workspace: runs whose retries are exhausted. */
@Path("/workspaces/{workspaceId}/dead-letters")
@Tag(name = "Dead letters")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class DeadLettersResource {

    @Inject
    DeadLetterService deadLetters;

    @Inject
    CurrentSession currentSession;

    @Context
    UriInfo uriInfo;

    @GET
    @Operation(operationId = "listDeadLetters", summary = "Dead letters, newest first")
    public Page<DeadLetterResponse> list(@PathParam("workspaceId") UUID workspaceId, @QueryParam("limit") Integer limit,
                                         @QueryParam("cursor") String cursor) {
        return deadLetters.list(workspaceId, currentSession.userId(), cursor, limit).map(DeadLetterResponse::of);
    }

    @POST
    @Path("/{id}/requeue")
    @Operation(operationId = "requeueDeadLetter", summary = "Run it again from the start (same version and input, trigger RETRY); the dead letter goes")
    @APIResponse(responseCode = "201", description = "The new run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunResponse.class)))
    @APIResponse(responseCode = "402", description = "The plan's runs for this period are used up; the dead letter stays")
    public Response requeue(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id) {
        return RunOutcomes.respond(deadLetters.requeue(workspaceId, id, currentSession.userId()), uriInfo,
                workspaceId.toString());
    }

    @POST
    @Path("/requeue")
    @Operation(operationId = "requeueDeadLetters", summary = "Requeue up to 100 dead letters; answers, per letter in the order asked, REQUEUED with its new"
            + " run, or why not: NOT_FOUND, WORKFLOW_DISABLED, QUOTA_EXHAUSTED (the letter stays)")
    public RequeueDeadLettersResponse requeueMany(@PathParam("workspaceId") UUID workspaceId,
                                                  @NotNull @Valid RequeueDeadLettersRequest body) {
        return RequeueDeadLettersResponse.of(deadLetters.requeueAll(workspaceId, body.ids(), currentSession.userId()));
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "discardDeadLetter", summary = "Discard a dead letter; its run keeps its history")
    @APIResponse(responseCode = "204", description = "Discarded")
    public Response discard(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id) {
        deadLetters.discard(workspaceId, id, currentSession.userId());
        return Response.noContent().build();
    }
}
