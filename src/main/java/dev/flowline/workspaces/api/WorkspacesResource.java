package dev.flowline.workspaces.api;

import dev.flowline.platform.pagination.Page;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.rest.ETags;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.workspaces.MemberService;
import dev.flowline.workspaces.Membership;
import dev.flowline.workspaces.UsageService;
import dev.flowline.workspaces.WorkspaceErrors.OwnershipTransferNeedsAcceptanceException;
import dev.flowline.workspaces.WorkspaceService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
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

/** Workspaces the caller belongs to. Non-members get 403 on every workspace path, whether it exists or not. */
@Path("/workspaces")
@Tag(name = "Workspaces")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WorkspacesResource {

    @Inject
    WorkspaceService workspaces;

    @Inject
    MemberService members;

    @Inject
    UsageService usage;

    @Inject
    CurrentSession currentSession;

    @Context
    UriInfo uriInfo;

    @POST
    @Operation(operationId = "createWorkspace", summary = "Create a workspace; the caller becomes its owner")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkspaceResponse.class)))
    public Response create(@NotNull @Valid WorkspaceNameRequest body) {
        Membership created = workspaces.create(currentSession.userId(), body.name());
        return Response.created(uriInfo.getAbsolutePathBuilder().path(created.workspace().id().toString()).build())
                .tag(ETags.of(created.workspace().version()))
                .entity(WorkspaceResponse.of(created)).build();
    }

    @GET
    @Operation(operationId = "listWorkspaces", summary = "The caller's workspaces, oldest first (keyset pagination: limit, cursor)")
    public Page<WorkspaceResponse> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return workspaces.list(currentSession.userId(), cursor, limit).map(WorkspaceResponse::of);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getWorkspace", summary = "A workspace (viewer or above); the ETag is its version")
    public Response get(@PathParam("id") UUID id) {
        Membership membership = workspaces.get(id, currentSession.userId());
        return Response.ok(WorkspaceResponse.of(membership)).tag(ETags.of(membership.workspace().version())).build();
    }

    @PATCH
    @Path("/{id}")
    @Operation(operationId = "renameWorkspace", summary = "Rename (admin or above); with If-Match, 412 when the workspace changed meanwhile")
    @APIResponse(responseCode = "412", description = "Stale If-Match")
    @APIResponse(responseCode = "200", description = "Renamed; the workspace with its new ETag",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkspaceResponse.class)))
    public Response rename(@PathParam("id") UUID id, @NotNull @Valid WorkspaceNameRequest body,
                           @HeaderParam("If-Match") String ifMatch) {
        Membership renamed = workspaces.rename(id, currentSession.userId(), body.name(), ETags.expectedVersion(ifMatch));
        return Response.ok(WorkspaceResponse.of(renamed)).tag(ETags.of(renamed.workspace().version())).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteWorkspace", summary = "Delete the workspace (owner only; not a personal one)",
            description = "Deletes everything in it for good: members, invitations, usage, and its connections,"
                    + " workflows, schedules and runs with their history. Runs in progress are canceled.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "A personal workspace")
    public Response delete(@PathParam("id") UUID id) {
        workspaces.delete(id, currentSession.userId());
        return Response.noContent().build();
    }

    /**
     * The one-step transfer made someone the owner (and the payer) without their consent. Its path does not quietly
     * become an offer: a client that took a 2xx here for a completed transfer would be wrong, so it answers 410
     * with the way to offer instead, and changes nothing.
     */
    @POST
    @Path("/{id}/transfer-ownership")
    @Operation(operationId = "transferWorkspaceOwnership", deprecated = true,
            summary = "Gone: ownership moves by an offer the new owner accepts (POST /workspaces/{id}/ownership-offer)")
    @APIResponse(responseCode = "410", description = "Always: use the ownership offer; nothing is changed")
    public Response transferOwnership(@PathParam("id") UUID id, @NotNull @Valid TransferOwnershipRequest body) {
        throw new OwnershipTransferNeedsAcceptanceException();
    }

    @POST
    @Path("/{id}/leave")
    @Operation(operationId = "leaveWorkspace", summary = "Leave the workspace (not the owner: offer ownership first)")
    @APIResponse(responseCode = "204", description = "Left")
    public Response leave(@PathParam("id") UUID id) {
        members.leave(id, currentSession.userId());
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/usage")
    @Operation(operationId = "getWorkspaceUsage", summary = "Seats and runs used in the current billing period, against the plan's limits")
    public UsageResponse usage(@PathParam("id") UUID id) {
        return UsageResponse.of(usage.usage(id, currentSession.userId()));
    }
}
