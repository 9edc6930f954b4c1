package dev.flowline.auth.api;

import java.time.Instant;
import java.util.UUID;

/** {@code token} is the opaque session token: send it as {@code Authorization: Bearer <token>}. */
public record LoginResponse(String token, String tokenType, Instant expiresAt, UUID userId) {
}
