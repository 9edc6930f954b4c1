package dev.flowline.connections;

import java.time.Instant;
import java.util.UUID;

/** An authorization request in flight, taken (and deleted) by its state at the callback. */
public record PendingAuthorization(UUID userId, String provider, String codeVerifierEnc, Instant expiresAt) {
}
