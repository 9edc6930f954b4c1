package dev.flowline.connections.api;

import dev.flowline.connections.Connection;

import java.time.Instant;
import java.util.UUID;

/** One of the caller's connected accounts; never a token value. */
public record ConnectionResponse(UUID id, String provider, String accountEmail, String scopes, Instant expiresAt,
                                 boolean shared, boolean needsReauthorization, String lastError, Instant lastErrorAt,
                                 Instant refreshedAt, Instant createdAt) {

    static ConnectionResponse of(Connection c) {
        return new ConnectionResponse(c.id(), c.provider(), c.accountEmail(), c.scopes(), c.expiresAt(), c.shared(),
                c.needsReauthorization(), c.lastError(), c.lastErrorAt(), c.refreshedAt(), c.createdAt());
    }
}
