package dev.flowline.connections.api;

import dev.flowline.connections.SharedConnection;
import dev.flowline.connections.WorkspaceConnectionService;
import dev.flowline.platform.pagination.Page;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
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

import java.util.Optional;
import java.util.UUID;

/** Connections shared into a workspace, for its workflows' HTTP nodes. */
@Path("/workspaces/{workspaceId}/connections")
@Tag(name = "Connections")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WorkspaceConnectionsResource {

    @Inject
    WorkspaceConnectionService connections;

    @Inject
    CurrentSession currentSession;

    @Context
    UriInfo uriInfo;

    @GET
    @Operation(operationId = "listWorkspaceConnections", summary = "Connections shared into the workspace (viewer or above)",
            description = "With sharedBy, only those that member shared. One page holds them all (nextCursor is"
                    + " always null).")
    @APIResponse(responseCode = "200", description = "The workspace's connections")
    public Page<SharedConnectionResponse> list(@PathParam("workspaceId") UUID workspaceId,
                                               @QueryParam("sharedBy") UUID sharedBy) {
        return new Page<>(connections.list(workspaceId, currentSession.userId(), Optional.ofNullable(sharedBy))
                .stream().map(SharedConnectionResponse::of).toList(), null);
    }

    @POST
    @Operation(operationId = "shareConnection", summary = "Share one of the caller's connections into the workspace (member or above)",
            description = "The workspace's plan must include shared connections (402 otherwise). Workflows of the"
                    + " workspace then use it by this connection's id; its token stays encrypted and is never shown."
                    + " It is removed when the member leaves the workspace.")
    @APIResponse(responseCode = "201", description = "Shared; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SharedConnectionResponse.class)))
    @APIResponse(responseCode = "402", description = "The plan does not include shared connections")
    @APIResponse(responseCode = "403", description = "Not a member with the MEMBER role, or not the caller's connection")
    @APIResponse(responseCode = "409", description = "Already shared into this workspace")
    public Response share(@PathParam("workspaceId") UUID workspaceId, @NotNull @Valid ShareConnectionRequest body) {
        SharedConnection shared = connections.share(workspaceId, currentSession.userId(), body.connectionId(),
                body.name());
        return Response.created(uriInfo.getAbsolutePathBuilder().path(shared.id().toString()).build())
                .entity(SharedConnectionResponse.of(shared)).build();
    }

    @DELETE
    @Path("/{connectionId}")
    @Operation(operationId = "unshareConnection", summary = "Remove a shared connection from the workspace (its sharer, or admin or above)",
            description = "The personal connection stays; only this workspace loses it.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such connection in this workspace")
    public Response unshare(@PathParam("workspaceId") UUID workspaceId, @PathParam("connectionId") UUID connectionId) {
        connections.unshare(workspaceId, currentSession.userId(), connectionId);
        return Response.noContent().build();
    }
}
