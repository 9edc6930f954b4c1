package dev.flowline.connections.api;

import dev.flowline.connections.Connection;
import dev.flowline.connections.OAuthFlow;
import dev.flowline.connections.OAuthProviders;
import dev.flowline.connections.StartedAuthorization;
import dev.flowline.platform.mail.PublicLinks;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.Optional;

/**
 * Connecting an OAuth account: the authorize redirect (signed in) and the provider's callback (public: the state
 * it carries says whose authorization it is, the binding cookie that it comes from the browser that started it).
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
    BindingCookies bindingCookies;

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
                    + " same URL. With redirect=false it answers 200 with that body instead (a browser's fetch cannot"
                    + " read a redirect's body). Either way it sets the cookie (HttpOnly, SameSite=Lax, under"
                    + " /api/v1/connections/) that binds the authorization to this browser: the callback completes"
                    + " only in the browser that keeps it, so call this with credentials (fetch credentials:"
                    + " 'include') from the same site, then send that browser to authorizeUrl.")
    @APIResponse(responseCode = "302", description = "To the provider; Location is the authorization URL",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuthorizationResponse.class)))
    @APIResponse(responseCode = "200", description = "With redirect=false: where to send the browser",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuthorizationResponse.class)))
    @APIResponse(responseCode = "404", description = "No such provider is configured")
    public Response authorize(@PathParam("provider") String provider,
                              @Parameter(description = "false: answer 200 with the URL instead of redirecting")
                              @QueryParam("redirect") @DefaultValue("true") boolean redirect) {
        StartedAuthorization started = flow.begin(currentSession.userId(), provider);
        URI url = started.authorizeUrl();
        Response.ResponseBuilder answer = redirect ? Response.status(Response.Status.FOUND).location(url) : Response.ok();
        return answer.cookie(bindingCookies.issue(started)).entity(new AuthorizationResponse(url.toString())).build();
    }

    @GET
    @Path("/{provider}/callback")
    @PermitAll
    @Operation(operationId = "completeConnection", summary = "The provider's redirect back: stores the connection",
            description = "Public: the state names the user who started the authorization, and the cookie set by"
                    + " authorize must come with it (the same browser). Exchanges the code (with"
                    + " the PKCE verifier) for tokens, reads the account's email from the provider's user-info"
                    + " endpoint, stores the tokens encrypted as the user's personal connection (reconnecting an"
                    + " account replaces its tokens) and answers 303 to the front end"
                    + " (flowline.connections.completed-url, with ?connection=<id>). A provider error, a missing"
                    + " code, an unknown, used or expired state, and a browser without the authorization's cookie"
                    + " (authorization-not-from-this-browser) are 400 and store nothing. The state is used up and"
                    + " its cookie cleared whatever the outcome.")
    @APIResponse(responseCode = "303", description = "Stored; Location is the front end's page, the body the connection",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConnectionResponse.class)))
    @APIResponse(responseCode = "400", description = "The provider's error, a missing code, a bad state, or another browser")
    @APIResponse(responseCode = "404", description = "No such provider is configured")
    @APIResponse(responseCode = "502", description = "The provider could not be reached; start again later")
    @ClearsBindingCookie
    public Response callback(@PathParam("provider") String provider, @QueryParam("state") String state,
                             @QueryParam("code") String code, @QueryParam("error") String error,
                             @Context HttpHeaders headers) {
        Connection connection = flow.complete(provider, state, code, error,
                BindingCookies.presented(headers.getCookies(), state));
        String page = completedUrl.filter(url -> !url.isBlank()).orElseGet(() -> links.page("connections"));
        URI location = UriBuilder.fromUri(page).queryParam("connection", connection.id()).build();
        return Response.seeOther(location).entity(ConnectionResponse.of(connection)).build();
    }
}
