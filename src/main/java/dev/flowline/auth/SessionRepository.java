package dev.flowline.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Login sessions, found by the SHA-256 hash of their bearer token. */
public interface SessionRepository {

    void create(UUID userId, String tokenHash, Instant createdAt, Instant expiresAt, String userAgent);

    /** The session's user when the session exists, is unrevoked and unexpired at {@code now}. */
    Optional<UUID> findActiveUserId(String tokenHash, Instant now);

    /** Answers false when there was no active session with that hash. */
    boolean revoke(String tokenHash, Instant now);

    /** Revokes every active session of the user; answers how many. */
    int revokeAllForUser(UUID userId, Instant now);

    /** Revokes every active session of the user but the one with {@code keepTokenHash}; answers how many. */
    int revokeAllForUserExcept(UUID userId, String keepTokenHash, Instant now);
}
