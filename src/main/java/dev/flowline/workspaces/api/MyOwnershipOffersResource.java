package dev.flowline.workspaces.api;

import dev.flowline.platform.pagination.Page;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.workspaces.OwnershipOfferService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.Instant;

/** Ownership offers made to the signed-in user. */
@Path("/me/ownership-offers")
@Tag(name = "Workspaces")
@Produces(MediaType.APPLICATION_JSON)
public class MyOwnershipOffersResource {

    @Inject
    OwnershipOfferService offers;

    @Inject
    CurrentSession currentSession;

    @Inject
    Clock clock;

    @GET
    @RolesAllowed(Roles.USER)
    @SecurityRequirement(name = ApiContract.BEARER)
    @Operation(operationId = "listMyOwnershipOffers", summary = "Open ownership offers made to the caller, oldest first"
            + " (keyset pagination: limit, cursor)")
    @APIResponse(responseCode = "200", description = "A page of offers")
    public Page<OwnershipOfferResponse> mine(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        Instant now = clock.instant();
        return offers.mine(currentSession.userId(), cursor, limit).map(o -> OwnershipOfferResponse.of(o, now));
    }
}
