package dev.flowline.connections.api;

import dev.flowline.connections.SharedConnection;

import java.time.Instant;
import java.util.UUID;

/**
 * A connection shared into a workspace: its id is what a workflow's {@code http.request} node names as
 * {@code connectionId}. Never a token value.
 */
public record SharedConnectionResponse(UUID id, UUID workspaceId, String provider, String name, String accountEmail,
                                       UUID sharedBy, boolean needsReauthorization, Instant createdAt) {

    static SharedConnectionResponse of(SharedConnection c) {
        return new SharedConnectionResponse(c.id(), c.workspaceId(), c.provider(), c.name(), c.accountEmail(),
                c.ownerUserId(), c.needsReauthorization(), c.createdAt());
    }
}
