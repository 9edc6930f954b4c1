package dev.flowline.connections;

import java.time.Instant;
import java.util.UUID;

/**
 * A user's credential as the API shows it: never a secret value. {@code shared} says whether it is shared into any
 * workspace; {@code version} is its ETag.
 */
public record Credential(UUID id, UUID ownerUserId, String name, CredentialKind kind, CredentialOrigins origins,
                         CredentialShape shape, boolean shared, long version, Instant createdAt, Instant updatedAt) {
}
