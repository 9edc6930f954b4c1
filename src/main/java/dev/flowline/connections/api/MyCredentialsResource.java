package dev.flowline.connections.api;

import dev.flowline.connections.Credential;
import dev.flowline.connections.CredentialService;
import dev.flowline.platform.pagination.Page;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.rest.ETags;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
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

/** The caller's own credentials that are not OAuth: API keys, bearer tokens, basic auth, a few headers. */
@Path("/me/credentials")
@Tag(name = "Connections")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class MyCredentialsResource {

    @Inject
    CredentialService credentials;

    @Inject
    CurrentSession currentSession;

    @Context
    UriInfo uriInfo;

    @POST
    @Operation(operationId = "createCredential", summary = "Store a credential (API key, bearer, basic, headers); its secret is write-only",
            description = "kind is api-key (secret: in header|query, name, value), bearer (token), basic (username,"
                    + " password) or headers (headers: 1 to 10 names and values). origins (1 to 20) are where it may"
                    + " be sent: an http.request node attaches it only to requests to these origins, checked on every"
                    + " redirect. The secret is encrypted and never answered back; replace it with PATCH. At most 100"
                    + " credentials per user (409 credential-limit).")
    @APIResponse(responseCode = "201", description = "Stored; Location names it, the ETag is its version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CredentialResponse.class)))
    @APIResponse(responseCode = "400", description = "A field is missing or invalid for the kind (named in errors)")
    @APIResponse(responseCode = "409", description = "The caller has the most credentials a user may keep")
    public Response create(@NotNull @Valid CreateCredentialRequest body) {
        Credential created = credentials.create(currentSession.userId(), body.name(), body.kind(), body.origins(),
                body.secret().toFields());
        return Response.created(uriInfo.getAbsolutePathBuilder().path(created.id().toString()).build())
                .tag(ETags.of(created.version())).entity(CredentialResponse.of(created)).build();
    }

    @GET
    @Operation(operationId = "listMyCredentials", summary = "The caller's credentials (never their secrets), oldest first",
            description = "One page holds them all (nextCursor is always null).")
    @APIResponse(responseCode = "200", description = "The caller's credentials")
    public Page<CredentialResponse> list() {
        return new Page<>(credentials.listMine(currentSession.userId()).stream().map(CredentialResponse::of).toList(),
                null);
    }

    @GET
    @Path("/{credentialId}")
    @Operation(operationId = "getMyCredential", summary = "One of the caller's credentials (never its secret); the ETag is its version")
    @APIResponse(responseCode = "200", description = "The credential",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CredentialResponse.class)))
    @APIResponse(responseCode = "404", description = "No such credential of the caller's")
    public Response get(@PathParam("credentialId") UUID credentialId) {
        Credential credential = credentials.get(currentSession.userId(), credentialId);
        return Response.ok(CredentialResponse.of(credential)).tag(ETags.of(credential.version())).build();
    }

    @PATCH
    @Path("/{credentialId}")
    @Operation(operationId = "updateMyCredential", summary = "Rename, change the origins or replace the secret; with If-Match, 412 when it changed meanwhile",
            description = "What is given replaces what is stored (at least one of name, origins, secret). The secret"
                    + " is of the credential's kind (it cannot change) and replaces the stored one whole. Workspaces it"
                    + " is shared into use the new values from their next request.")
    @APIResponse(responseCode = "200", description = "Changed; the credential with its new ETag",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CredentialResponse.class)))
    @APIResponse(responseCode = "400", description = "Nothing to change, or a field is invalid (named in errors)")
    @APIResponse(responseCode = "404", description = "No such credential of the caller's")
    @APIResponse(responseCode = "412", description = "Stale If-Match")
    public Response update(@PathParam("credentialId") UUID credentialId, @NotNull @Valid UpdateCredentialRequest body,
                           @HeaderParam("If-Match") String ifMatch) {
        Credential updated = credentials.update(currentSession.userId(), credentialId, body.name(), body.origins(),
                body.secret() == null ? null : body.secret().toFields(), ETags.expectedVersion(ifMatch));
        return Response.ok(CredentialResponse.of(updated)).tag(ETags.of(updated.version())).build();
    }

    @DELETE
    @Path("/{credentialId}")
    @Operation(operationId = "deleteMyCredential", summary = "Delete a credential and every workspace share of it")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such credential of the caller's")
    public Response delete(@PathParam("credentialId") UUID credentialId) {
        credentials.delete(currentSession.userId(), credentialId);
        return Response.noContent().build();
    }
}
