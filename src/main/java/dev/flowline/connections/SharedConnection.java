package dev.flowline.connections;

import java.time.Instant;
import java.util.UUID;

/** A personal connection shared into a workspace by its owner (a {@code workspace_connections} row). */
public record SharedConnection(UUID id, UUID workspaceId, UUID ownerUserId, UUID tokenId, String provider,
                               String name, String accountEmail, boolean needsReauthorization, Instant createdAt) {
}
