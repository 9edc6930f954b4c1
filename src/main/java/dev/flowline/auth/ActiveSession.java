package dev.flowline.auth;

import java.time.Instant;
import java.util.UUID;

/** A session that is unrevoked, unexpired and not idle: its user, and when it was last seen in use. */
public record ActiveSession(UUID userId, Instant lastSeenAt) {
}
