package dev.flowline.billing.api;

import dev.flowline.billing.BillingService;
import dev.flowline.billing.StripeGateway.CheckoutSession;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The signed-in user's billing: checkout, portal, overview. 404 {@code billing-disabled} without Stripe. */
@Path("/billing")
@Tag(name = "Billing")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class BillingResource {

    @Inject
    BillingService billing;

    @Inject
    CurrentSession currentSession;

    @GET
    @Operation(operationId = "getBilling", summary = "The caller's plan, subscription, checkout in progress, last error, and usage and overage of the workspaces they own")
    @APIResponse(responseCode = "404", description = "Billing is not configured on this installation (billing-disabled)")
    @APIResponse(responseCode = "200", description = "The caller's billing",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BillingResponse.class)))
    public BillingResponse get() {
        return BillingResponse.of(billing.overview(currentSession.userId()));
    }

    @POST
    @Path("/checkout")
    @Operation(operationId = "startCheckout", summary = "Start a Stripe Checkout for a plan (owner of the workspace)",
            description = "Answers the URL of Stripe's Checkout page. Nothing changes here: the plan changes when Stripe"
                    + " confirms the payment (checkout.session.completed). The subscription sets the tier of every"
                    + " workspace the caller owns.")
    @APIResponse(responseCode = "200", description = "The session to send the customer to",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CheckoutResponse.class)))
    @APIResponse(responseCode = "400", description = "The plan is not for sale")
    @APIResponse(responseCode = "403", description = "Not the owner of the workspace")
    @APIResponse(responseCode = "404", description = "Billing is not configured on this installation (billing-disabled)")
    @APIResponse(responseCode = "409", description = "Already subscribed (use the portal), another checkout of yours is"
            + " being started (checkout-in-progress), or the earlier one was just paid (checkout-completed)")
    @APIResponse(responseCode = "502", description = "Stripe failed; nothing was charged, try again")
    public CheckoutResponse checkout(@NotNull @Valid CheckoutRequest body) {
        CheckoutSession session = billing.startCheckout(currentSession.userId(), body.workspaceId(), body.plan());
        return new CheckoutResponse(session.id(), session.url());
    }

    @POST
    @Path("/portal")
    @Operation(operationId = "openBillingPortal", summary = "A Stripe customer-portal session for the caller")
    @APIResponse(responseCode = "200", description = "The portal URL",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PortalResponse.class)))
    @APIResponse(responseCode = "404", description = "Billing is not configured on this installation (billing-disabled)")
    @APIResponse(responseCode = "409", description = "No billing account yet (no checkout started)")
    @APIResponse(responseCode = "502", description = "Stripe failed; try again")
    public PortalResponse portal() {
        return new PortalResponse(billing.portal(currentSession.userId()));
    }
}
