package dev.flowline.connections.api;

import dev.flowline.connections.SharedCredential;
import dev.flowline.connections.WorkspaceCredentialService;
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

/** Credentials shared into a workspace, for its workflows' HTTP nodes. */
@Path("/workspaces/{workspaceId}/credentials")
@Tag(name = "Connections")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WorkspaceCredentialsResource {

    @Inject
    WorkspaceCredentialService credentials;

    @Inject
    CurrentSession currentSession;

    @Context
    UriInfo uriInfo;

    @GET
    @Operation(operationId = "listWorkspaceCredentials", summary = "Credentials shared into the workspace (viewer or above), never their secrets",
            description = "With sharedBy, only those that member shared. One page holds them all (nextCursor is"
                    + " always null).")
    @APIResponse(responseCode = "200", description = "The workspace's credentials")
    public Page<SharedCredentialResponse> list(@PathParam("workspaceId") UUID workspaceId,
                                               @QueryParam("sharedBy") UUID sharedBy) {
        return new Page<>(credentials.list(workspaceId, currentSession.userId(), Optional.ofNullable(sharedBy))
                .stream().map(SharedCredentialResponse::of).toList(), null);
    }

    @POST
    @Operation(operationId = "shareCredential", summary = "Share one of the caller's credentials into the workspace (member or above)",
            description = "The workspace's plan must include shared connections (402 otherwise). Workflows of the"
                    + " workspace then use it by this shared credential's id (credentialId of an http.request node);"
                    + " its secret stays encrypted and is never shown. It is removed when the member leaves the"
                    + " workspace or deletes the credential.")
    @APIResponse(responseCode = "201", description = "Shared; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SharedCredentialResponse.class)))
    @APIResponse(responseCode = "402", description = "The plan does not include shared connections")
    @APIResponse(responseCode = "403", description = "Not a member with the MEMBER role, or not the caller's credential")
    @APIResponse(responseCode = "409", description = "Already shared into this workspace")
    public Response share(@PathParam("workspaceId") UUID workspaceId, @NotNull @Valid ShareCredentialRequest body) {
        SharedCredential shared = credentials.share(workspaceId, currentSession.userId(), body.credentialId(),
                body.name());
        return Response.created(uriInfo.getAbsolutePathBuilder().path(shared.id().toString()).build())
                .entity(SharedCredentialResponse.of(shared)).build();
    }

    @DELETE
    @Path("/{credentialId}")
    @Operation(operationId = "unshareCredential", summary = "Remove a shared credential from the workspace (its sharer, or admin or above)",
            description = "The personal credential stays; only this workspace loses it.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such credential in this workspace")
    public Response unshare(@PathParam("workspaceId") UUID workspaceId, @PathParam("credentialId") UUID credentialId) {
        credentials.unshare(workspaceId, currentSession.userId(), credentialId);
        return Response.noContent().build();
    }
}
