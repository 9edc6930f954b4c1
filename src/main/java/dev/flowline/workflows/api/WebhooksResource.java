package dev.flowline.workflows.api;

import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.workflows.WebhookService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** A workflow's webhook: URL and secret rotation (its delivery log is in {@code triggers}). */
@Path("/workspaces/{workspaceId}/workflows/{id}/webhook")
@Tag(name = "Webhooks")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WebhooksResource {

    @Inject
    WebhookService webhooks;

    @Inject
    CurrentSession currentSession;

    @Context
    UriInfo uriInfo;

    @GET
    @Operation(operationId = "getWebhook", summary = "The webhook URL (never the secret)",
            description = "Deliveries: POST the URL with X-Flowline-Timestamp (Unix seconds, within 5 minutes),"
                    + " X-Flowline-Signature: sha256=<lowercase hex HMAC-SHA256(secret, timestamp + \".\" + raw body)>"
                    + " and optionally X-Flowline-Delivery (an id that makes retries idempotent).")
    public WebhookResponse webhook(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id) {
        return WebhookResponse.of(webhooks.get(workspaceId, id, currentSession.userId()), null, uriInfo);
    }

    @POST
    @Path("/rotate")
    @Operation(operationId = "rotateWebhookSecret", summary = "A new signing secret for the same URL, answered once; the old one stops working")
    public WebhookResponse rotate(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id) {
        WebhookService.RotatedSecret rotated = webhooks.rotate(workspaceId, id, currentSession.userId());
        return WebhookResponse.of(rotated.webhook(), rotated.secret(), uriInfo);
    }
}
