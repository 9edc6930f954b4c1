package dev.flowline.billing.api;

import com.stripe.model.Event;
import dev.flowline.billing.StripeWebhooks;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Stripe's webhook endpoint. Authenticated by the Stripe-Signature over the raw body, not by a session. */
@Path("/billing/stripe/webhook")
@Tag(name = "Billing")
@PermitAll
public class StripeWebhookResource {

    /** What Stripe is answered. */
    public record Received(String stripeEventId, String outcome) {
    }

    @Inject
    StripeWebhooks webhooks;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "receiveStripeEvent", summary = "Stripe events (signed with the endpoint secret)",
            description = "Takes no session: the Stripe-Signature header must sign the exact body with"
                    + " flowline.stripe.webhook-secret, within 5 minutes. Each event is applied once however often it"
                    + " is delivered (outcome DUPLICATE afterwards), never moves a subscription back (STALE), and"
                    + " unknown types are acknowledged (IGNORED).")
    @APIResponse(responseCode = "200", description = "Applied, or already applied, stale, or ignored")
    @APIResponse(responseCode = "400", description = "Missing or wrong signature, a stale timestamp, or not an event")
    @APIResponse(responseCode = "404", description = "Billing is not configured on this installation (billing-disabled)")
    @APIResponse(responseCode = "422", description = "An event of an API version this server cannot read: not applied, Stripe retries")
    public Received receive(String payload, @HeaderParam("Stripe-Signature") String signature) {
        Event event = webhooks.verify(payload == null ? "" : payload, signature);
        return new Received(event.getId(), webhooks.apply(event).name());
    }
}
