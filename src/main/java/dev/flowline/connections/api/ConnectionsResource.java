package dev.flowline.connections.api;

import dev.flowline.connections.Connection;
import dev.flowline.connections.OAuthFlow;
import dev.flowline.connections.OAuthProviders;
import dev.flowline.platform.mail.PublicLinks;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.Optional;

/**
 * Connecting an OAuth account: the authorize redirect (signed in) and the provider's callback (public: the state
 * it carries says whose authorization it is).
 */
@Path("/connections")
@Tag(name = "Connections")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionsResource {

    @Inject
    OAuthFlow flow;

    @Inject
    OAuthProviders providers;

    @Inject
    CurrentSession currentSession;

    @Inject
    PublicLinks links;

    @Inject
    @ConfigProperty(name = "flowline.connections.completed-url")
    Optional<String> completedUrl;

    @GET
    @Path("/providers")
    @RolesAllowed(Roles.USER)
    @SecurityRequirement(name = ApiContract.BEARER)
    @Operation(operationId = "listOAuthProviders", summary = "The OAuth providers accounts can be connected from")
    @APIResponse(responseCode = "200", description = "Provider names, for /connections/{provider}/authorize",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProvidersResponse.class)))
    public ProvidersResponse providers() {
        return new ProvidersResponse(providers.names());
    }

    @GET
    @Path("/{provider}/authorize")
    @RolesAllowed(Roles.USER)
    @SecurityRequirement(name = ApiContract.BEARER)
    @Operation(operationId = "authorizeConnection", summary = "Start connecting an account: redirects to the provider",
            description = "Answers 302 to the provider's authorization page, with a single-use state bound to the"
                    + " caller (valid for flowline.oauth.state-ttl-minutes) and a PKCE challenge; the body holds the"
                    + " same URL for clients that do not follow redirects.")
    @APIResponse(responseCode = "302", description = "To the provider; Location is the authorization URL",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuthorizationResponse.class)))
    @APIResponse(responseCode = "404", description = "No such provider is configured")
    public Response authorize(@PathParam("provider") String provider) {
        URI url = flow.begin(currentSession.userId(), provider);
        return Response.status(Response.Status.FOUND).location(url)
                .entity(new AuthorizationResponse(url.toString())).build();
    }

    @GET
    @Path("/{provider}/callback")
    @PermitAll
    @Operation(operationId = "completeConnection", summary = "The provider's redirect back: stores the connection",
            description = "Public: the state names the user who started the authorization. Exchanges the code (with"
                    + " the PKCE verifier) for tokens, reads the account's email from the provider's user-info"
                    + " endpoint, stores the tokens encrypted as the user's personal connection (reconnecting an"
                    + " account replaces its tokens) and answers 303 to the front end"
                    + " (flowline.connections.completed-url, with ?connection=<id>). A provider error, a missing"
                    + " code, and an unknown, used or expired state are 400 and store nothing.")
    @APIResponse(responseCode = "303", description = "Stored; Location is the front end's page, the body the connection",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConnectionResponse.class)))
    @APIResponse(responseCode = "400", description = "The provider's error, a missing code, or a bad state")
    @APIResponse(responseCode = "404", description = "No such provider is configured")
    @APIResponse(responseCode = "502", description = "The provider could not be reached; start again later")
    public Response callback(@PathParam("provider") String provider, @QueryParam("state") String state,
                             @QueryParam("code") String code, @QueryParam("error") String error) {
        Connection connection = flow.complete(provider, state, code, error);
        String page = completedUrl.filter(url -> !url.isBlank()).orElseGet(() -> links.page("connections"));
        URI location = UriBuilder.fromUri(page).queryParam("connection", connection.id()).build();
        return Response.seeOther(location).entity(ConnectionResponse.of(connection)).build();
    }
}
