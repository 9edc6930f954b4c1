package dev.flowline.workspaces.api;

import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.workspaces.InvitationService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.util.List;

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
    @SecurityRequirement(name = "session")
    @Operation(summary = "Pending invitations to the caller's (verified) email address")
    @APIResponse(responseCode = "403", description = "Email address not verified")
    public List<InvitationResponse> mine() {
        return invitations.mine(currentSession.userId()).stream()
                .map(i -> InvitationResponse.of(i, clock.instant())).toList();
    }

}
