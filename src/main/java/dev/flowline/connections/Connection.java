package dev.flowline.connections;

import java.time.Instant;
import java.util.UUID;

/**
 * A user's connected account as the API shows it: never a token value. {@code needsReauthorization} is true once
 * the provider refused a refresh: the user must connect the account again.
 */
public record Connection(UUID id, UUID ownerUserId, String provider, String accountEmail, String scopes,
                         Instant expiresAt, boolean shared, boolean needsReauthorization, String lastError,
                         Instant lastErrorAt, Instant refreshedAt, Instant createdAt) {
}
