package dev.flowline.workspaces.api;

import dev.flowline.workspaces.OwnershipOffer;

import java.time.Instant;
import java.util.UUID;

/** {@code status}: OPEN, or EXPIRED (it can no longer be accepted; the owner may offer again). */
public record OwnershipOfferResponse(UUID workspaceId, String workspaceName, UUID offeredBy, UUID offeredTo,
                                     String status, Instant createdAt, Instant expiresAt) {

    static OwnershipOfferResponse of(OwnershipOffer offer, Instant now) {
        return new OwnershipOfferResponse(offer.workspaceId(), offer.workspaceName(), offer.offeredBy(),
                offer.offeredTo(), offer.openAt(now) ? "OPEN" : "EXPIRED", offer.createdAt(), offer.expiresAt());
    }
}
