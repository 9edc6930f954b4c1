package dev.flowline.workspaces.api;

import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.workspaces.OwnershipOffer;
import dev.flowline.workspaces.OwnershipOfferService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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

import java.time.Clock;
import java.util.UUID;

/** The workspace's ownership offer: the owner offers and withdraws, the offered member accepts or declines. */
@Path("/workspaces/{workspaceId}/ownership-offer")
@Tag(name = "Workspaces")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OwnershipOffersResource {

    @Inject
    OwnershipOfferService offers;

    @Inject
    CurrentSession currentSession;

    @Inject
    Clock clock;

    @Context
    UriInfo uriInfo;

    @POST
    @Operation(operationId = "offerWorkspaceOwnership", summary = "Offer the workspace to another member (owner only);"
            + " it moves when they accept. Replaces an earlier offer; the member is emailed",
            description = "Nothing changes until the member accepts: the owner stays the owner (and the payer). The"
                    + " offer expires after flowline.workspaces.ownership-offer-ttl-days. Its email counts against"
                    + " the workspace's invitation emails (429 invitation-mail-limit).")
    @APIResponse(responseCode = "201", description = "Offered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OwnershipOfferResponse.class)))
    @APIResponse(responseCode = "404", description = "Not a member of this workspace")
    @APIResponse(responseCode = "409", description = "A personal workspace, or the member owns as many team workspaces as their plan allows")
    @APIResponse(responseCode = "429", description = "The workspace has sent its invitation emails for now; see Retry-After")
    public Response offer(@PathParam("workspaceId") UUID workspaceId, @NotNull @Valid OfferOwnershipRequest body) {
        OwnershipOffer offer = offers.offer(workspaceId, currentSession.userId(), body.userId());
        return Response.created(uriInfo.getAbsolutePath())
                .entity(OwnershipOfferResponse.of(offer, clock.instant())).build();
    }

    @GET
    @Operation(operationId = "getOwnershipOffer", summary = "The workspace's ownership offer, open or expired (viewer or above)")
    @APIResponse(responseCode = "404", description = "No offer")
    public OwnershipOfferResponse get(@PathParam("workspaceId") UUID workspaceId) {
        return OwnershipOfferResponse.of(offers.get(workspaceId, currentSession.userId()), clock.instant());
    }

    @DELETE
    @Operation(operationId = "withdrawOwnershipOffer", summary = "Withdraw the ownership offer (owner only)")
    @APIResponse(responseCode = "204", description = "Withdrawn")
    @APIResponse(responseCode = "404", description = "No offer")
    public Response withdraw(@PathParam("workspaceId") UUID workspaceId) {
        offers.withdraw(workspaceId, currentSession.userId());
        return Response.noContent().build();
    }

    @POST
    @Path("/accept")
    @Operation(operationId = "acceptOwnershipOffer", summary = "Become the owner (the offered member only); the"
            + " previous owner becomes an admin, and the workspace's plan follows its new owner")
    @APIResponse(responseCode = "200", description = "Accepted; the workspace, the caller now its owner",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkspaceResponse.class)))
    @APIResponse(responseCode = "403", description = "Not the offered member")
    @APIResponse(responseCode = "404", description = "No open offer (withdrawn, replaced or answered)")
    @APIResponse(responseCode = "409", description = "The offer no longer holds, or the caller owns as many team workspaces as their plan allows")
    @APIResponse(responseCode = "410", description = "The offer expired")
    public WorkspaceResponse accept(@PathParam("workspaceId") UUID workspaceId) {
        return WorkspaceResponse.of(offers.accept(workspaceId, currentSession.userId()));
    }

    @POST
    @Path("/decline")
    @Operation(operationId = "declineOwnershipOffer", summary = "Decline the ownership offer (the offered member only)")
    @APIResponse(responseCode = "204", description = "Declined")
    @APIResponse(responseCode = "403", description = "Not the offered member")
    @APIResponse(responseCode = "410", description = "The offer expired")
    public Response decline(@PathParam("workspaceId") UUID workspaceId) {
        offers.decline(workspaceId, currentSession.userId());
        return Response.noContent().build();
    }
}
