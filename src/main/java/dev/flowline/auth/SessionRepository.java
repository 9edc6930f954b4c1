package dev.flowline.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Login sessions, found by the SHA-256 hash of their bearer token. */
public interface SessionRepository {

    /** A new session, last seen at {@code createdAt}. */
    void create(UUID userId, String tokenHash, Instant createdAt, Instant expiresAt, String userAgent);

    /**
     * The session when it exists, is unrevoked and unexpired at {@code now}, and was last seen after
     * {@code idleSince} (else it has been idle too long).
     */
    Optional<ActiveSession> findActive(String tokenHash, Instant now, Instant idleSince);

    /**
     * Sets the session's last-seen time to {@code now} if it was last seen before {@code dueBefore}: one guarded
     * UPDATE, so concurrent requests of one session write it once. Answers whether it wrote.
     */
    boolean touch(String tokenHash, Instant now, Instant dueBefore);

    /** Answers false when there was no active session with that hash. */
    boolean revoke(String tokenHash, Instant now);

    /** Revokes every active session of the user; answers how many. */
    int revokeAllForUser(UUID userId, Instant now);

    /** Revokes every active session of the user but the one with {@code keepTokenHash}; answers how many. */
    int revokeAllForUserExcept(UUID userId, String keepTokenHash, Instant now);
}
