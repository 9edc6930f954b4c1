package dev.flowline.workspaces.api;

import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.pagination.Page;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.workspaces.InvitationService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.Instant;

/** Invitations addressed to the signed-in user. */
@Path("/me/invitations")
@Tag(name = "Invitations")
@Produces(MediaType.APPLICATION_JSON)
public class MyInvitationsResource {

    @Inject
    InvitationService invitations;

    @Inject
    CurrentSession currentSession;

    @Inject
    Clock clock;

    @GET
    @RolesAllowed(Roles.USER)
    @SecurityRequirement(name = ApiContract.BEARER)
    @Operation(operationId = "listMyInvitations", summary = "Pending invitations to the caller's (verified) email address, oldest first")
    @APIResponse(responseCode = "403", description = "Email address not verified")
    @APIResponse(responseCode = "200", description = "A page of invitations")
    public Page<InvitationResponse> mine(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        Instant now = clock.instant();
        return invitations.mine(currentSession.userId(), cursor, limit).map(i -> InvitationResponse.of(i, now));
    }

}
