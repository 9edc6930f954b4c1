package dev.flowline.triggers.api;

import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.pagination.Page;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.triggers.WebhookDeliveryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** The delivery log of a workflow's webhook. */
@Path("/workspaces/{workspaceId}/workflows/{id}/webhook/deliveries")
@Tag(name = "Webhooks")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class WebhookDeliveriesResource {

    @Inject
    WebhookDeliveryService deliveries;

    @Inject
    CurrentSession currentSession;

    @GET
    @Operation(operationId = "listWebhookDeliveries", summary = "Recent deliveries to the webhook and what became of them, newest first")
    public Page<DeliveryResponse> deliveries(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id,
                                             @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return deliveries.list(workspaceId, id, currentSession.userId(), cursor, limit).map(DeliveryResponse::of);
    }
}
