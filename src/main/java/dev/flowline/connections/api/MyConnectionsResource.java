package dev.flowline.connections.api;

import dev.flowline.connections.ConnectionService;
import dev.flowline.platform.pagination.Page;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** The caller's own connected accounts. */
@Path("/me/connections")
@Tag(name = "Connections")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class MyConnectionsResource {

    @Inject
    ConnectionService connections;

    @Inject
    CurrentSession currentSession;

    @GET
    @Operation(operationId = "listMyConnections", summary = "The caller's connected accounts (never their tokens), by provider",
            description = "needsReauthorization is true when the provider refused to refresh the token: connect the"
                    + " account again. One page holds them all (nextCursor is always null).")
    @APIResponse(responseCode = "200", description = "The caller's connections")
    public Page<ConnectionResponse> list() {
        return new Page<>(connections.listMine(currentSession.userId()).stream().map(ConnectionResponse::of).toList(),
                null);
    }

    @DELETE
    @Path("/{connectionId}")
    @Operation(operationId = "disconnect", summary = "Disconnect an account: revoke at the provider, delete here",
            description = "Revokes the token at the provider when it has a revocation endpoint (a provider that does"
                    + " not answer does not stop the deletion), then deletes the connection and every workspace"
                    + " connection shared from it.")
    @APIResponse(responseCode = "204", description = "Disconnected")
    @APIResponse(responseCode = "404", description = "No such connection of the caller's")
    public Response disconnect(@PathParam("connectionId") UUID connectionId) {
        connections.disconnect(currentSession.userId(), connectionId);
        return Response.noContent().build();
    }
}
