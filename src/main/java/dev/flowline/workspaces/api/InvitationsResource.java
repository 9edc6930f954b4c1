package dev.flowline.workspaces.api;

import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.workspaces.InvitationService;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;


/** The invitee's answer to an invitation. */
@Path("/invitations")
@Tag(name = "Invitations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class InvitationsResource {

    @Inject
    InvitationService invitations;

    @Inject
    CurrentSession currentSession;

    @POST
    @Path("/accept")
    @RolesAllowed(Roles.USER)
    @SecurityRequirement(name = ApiContract.BEARER)
    @Operation(operationId = "acceptInvitation", summary = "Join the workspace, signed in with the invited, verified email address")
    @APIResponse(responseCode = "200", description = "Joined; the workspace as the new member sees it")
    @APIResponse(responseCode = "403", description = "Another address, or the address is not verified")
    @APIResponse(responseCode = "404", description = "Unknown token")
    @APIResponse(responseCode = "410", description = "Expired, revoked, declined or already accepted")
    public WorkspaceResponse accept(@NotNull @Valid InvitationTokenRequest body) {
        return WorkspaceResponse.of(invitations.accept(body.token(), currentSession.userId()));
    }

    @POST
    @Path("/decline")
    @PermitAll
    @Operation(operationId = "declineInvitation", summary = "Decline an invitation with the token from its email (no account needed)")
    @APIResponse(responseCode = "204", description = "Declined; the seat is free again")
    @APIResponse(responseCode = "410", description = "Expired, revoked or already answered")
    public Response decline(@NotNull @Valid InvitationTokenRequest body) {
        invitations.decline(body.token());
        return Response.noContent().build();
    }
}
