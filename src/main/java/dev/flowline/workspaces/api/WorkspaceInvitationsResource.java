package dev.flowline.workspaces.api;

import dev.flowline.platform.pagination.Page;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.workspaces.Invitation;
import dev.flowline.workspaces.InvitationService;
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

import java.time.Clock;
import java.util.UUID;

/** Invitations of a workspace (admin or above). */
@Path("/workspaces/{workspaceId}/invitations")
@Tag(name = "Invitations")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WorkspaceInvitationsResource {

    @Inject
    InvitationService invitations;

    @Inject
    CurrentSession currentSession;

    @Inject
    Clock clock;

    @Context
    UriInfo uriInfo;

    @POST
    @Operation(operationId = "createInvitation", summary = "Invite an email address as ADMIN, MEMBER or VIEWER; the invitation holds a seat")
    @APIResponse(responseCode = "201", description = "Invited; the email is on its way",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InvitationResponse.class)))
    @APIResponse(responseCode = "402", description = "The plan allows no other members (SOLO)")
    @APIResponse(responseCode = "409", description = "Seat limit reached, already a member, or already invited")
    @APIResponse(responseCode = "403", description = "Not an admin, or the inviter's email address is not verified")
    @APIResponse(responseCode = "429", description = "The workspace has sent its invitation emails for now; see Retry-After")
    public Response invite(@PathParam("workspaceId") UUID workspaceId, @NotNull @Valid CreateInvitationRequest body) {
        Invitation invitation = invitations.invite(workspaceId, currentSession.userId(), body.email(), body.role());
        return Response.created(uriInfo.getAbsolutePathBuilder().path(invitation.id().toString()).build())
                .entity(InvitationResponse.of(invitation, clock.instant())).build();
    }

    @GET
    @Operation(operationId = "listInvitations", summary = "Pending invitations, oldest first")
    public Page<InvitationResponse> list(@PathParam("workspaceId") UUID workspaceId, @QueryParam("limit") Integer limit,
                                         @QueryParam("cursor") String cursor) {
        return invitations.listPending(workspaceId, currentSession.userId(), cursor, limit)
                .map(i -> InvitationResponse.of(i, clock.instant()));
    }

    @DELETE
    @Path("/{invitationId}")
    @Operation(operationId = "revokeInvitation", summary = "Revoke a pending invitation; its seat is free again")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "410", description = "Already answered or revoked")
    public Response revoke(@PathParam("workspaceId") UUID workspaceId, @PathParam("invitationId") UUID invitationId) {
        invitations.revoke(workspaceId, currentSession.userId(), invitationId);
        return Response.noContent().build();
    }

    @POST
    @Path("/{invitationId}/resend")
    @APIResponse(responseCode = "429", description = "Resent recently, or the workspace has sent its invitation emails"
            + " for now; see Retry-After")
    @Operation(operationId = "resendInvitation", summary = "Send the invitation again with a new link and expiry (the old link stops working)")
    @APIResponse(responseCode = "200", description = "Resent; the invitation with its new expiry",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InvitationResponse.class)))
    public InvitationResponse resend(@PathParam("workspaceId") UUID workspaceId,
                                     @PathParam("invitationId") UUID invitationId) {
        return InvitationResponse.of(invitations.resend(workspaceId, currentSession.userId(), invitationId), clock.instant());
    }
}
