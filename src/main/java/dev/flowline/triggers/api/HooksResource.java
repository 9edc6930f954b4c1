package dev.flowline.triggers.api;

import dev.flowline.triggers.HookReceiver;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Public webhook URLs. Authenticated by the HMAC signature, not by a session. */
@Path("/hooks")
@Tag(name = "Webhooks")
@PermitAll
public class HooksResource {

    /** What a delivery answers: the run it started. */
    public record Accepted(UUID runId, String status, boolean duplicate) {
    }

    @Inject
    HookReceiver receiver;

    @POST
    @Path("/{webhookId}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deliver a webhook: the JSON or form body becomes the run's input",
            description = "Headers: X-Flowline-Timestamp (Unix seconds, within 5 minutes of the server's clock),"
                    + " X-Flowline-Signature: sha256=<lowercase hex HMAC-SHA256(secret, timestamp + \".\" + raw body)>"
                    + " (several comma-separated values are accepted during a rotation), and optionally"
                    + " X-Flowline-Delivery, an id that makes retries of the same delivery answer the same run.")
    @APIResponse(responseCode = "202", description = "Run queued (or queued earlier for this delivery id)")
    @APIResponse(responseCode = "401", description = "Missing or wrong signature, or a stale timestamp")
    @APIResponse(responseCode = "402", description = "The workspace's runs for this period are used up")
    @APIResponse(responseCode = "404", description = "No workflow listens here")
    @APIResponse(responseCode = "409", description = "The workflow is disabled")
    @APIResponse(responseCode = "413", description = "Body over the size limit")
    public Response deliver(@PathParam("webhookId") String webhookId,
                            @HeaderParam("X-Flowline-Timestamp") String timestamp,
                            @HeaderParam("X-Flowline-Signature") String signature,
                            @HeaderParam("X-Flowline-Delivery") String deliveryId,
                            @HeaderParam("Content-Type") String contentType,
                            byte[] body) {
        HookReceiver.Received received = receiver.receive(webhookId, timestamp, signature, deliveryId, contentType,
                body == null ? new byte[0] : body);
        return Response.accepted(new Accepted(received.run().id(), received.run().status().name(), received.duplicate()))
                .build();
    }
}
