package dev.flowline.workspaces;

import java.time.Instant;
import java.util.UUID;

/** The owner's offer to hand a workspace to one of its members; ownership moves only when that member accepts. */
public record OwnershipOffer(UUID workspaceId, String workspaceName, UUID offeredBy, UUID offeredTo, Instant createdAt,
                             Instant expiresAt) {

    public boolean openAt(Instant now) {
        return expiresAt.isAfter(now);
    }
}
