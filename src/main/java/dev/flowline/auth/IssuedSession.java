package dev.flowline.auth;

import java.time.Instant;
import java.util.UUID;

/** A new session: the bearer token is only ever held here, on its way to the client. */
public record IssuedSession(UUID userId, String token, Instant expiresAt) {
}
