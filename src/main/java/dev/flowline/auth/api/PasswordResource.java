package dev.flowline.auth.api;

import dev.flowline.platform.rest.ApiContract;
import dev.flowline.auth.AuthService;
import dev.flowline.platform.security.ClientAddresses;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Changing the password of the signed-in user. */
@Path("/me/password")
@Tag(name = "Me")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PasswordResource {

    @Inject
    AuthService auth;

    @Inject
    CurrentSession currentSession;

    @Inject
    ClientAddresses clientAddresses;

    @Context
    HttpServletRequest request;

    @POST
    @Operation(operationId = "changePassword", summary = "Change the password (needs the current one); signs out every other session")
    @APIResponse(responseCode = "204", description = "Changed")
    @APIResponse(responseCode = "400", description = "Wrong current password or weak new password")
    @APIResponse(responseCode = "429", description = "Too many wrong passwords; see Retry-After")
    public Response change(@NotNull @Valid ChangePasswordRequest body) {
        auth.changePassword(currentSession.userId(), currentSession.tokenHash().orElse(""),
                body.currentPassword(), body.newPassword(), clientAddresses.of(request));
        return Response.noContent().build();
    }
}
