package dev.flowline.auth;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link SessionRepository} in memory, for resource tests without a database. */
@Alternative
@Priority(1000)
@ApplicationScoped
public class InMemorySessionRepository implements SessionRepository {

    private record Session(UUID userId, Instant expiresAt, Instant lastSeenAt, Instant revokedAt) {
        boolean activeAt(Instant now, Instant idleSince) {
            return revokedAt == null && expiresAt.isAfter(now) && lastSeenAt.isAfter(idleSince);
        }
    }

    private final Map<String, Session> sessions = new HashMap<>();
    private int touches;

    /** How many times a last-seen time was written, to show that most requests do not write. */
    public synchronized int touches() {
        return touches;
    }

    @Override
    public synchronized void create(UUID userId, String tokenHash, Instant createdAt, Instant expiresAt, String userAgent) {
        sessions.put(tokenHash, new Session(userId, expiresAt, createdAt, null));
    }

    @Override
    public synchronized Optional<ActiveSession> findActive(String tokenHash, Instant now, Instant idleSince) {
        return Optional.ofNullable(sessions.get(tokenHash)).filter(s -> s.activeAt(now, idleSince))
                .map(s -> new ActiveSession(s.userId(), s.lastSeenAt()));
    }

    @Override
    public synchronized boolean touch(String tokenHash, Instant now, Instant dueBefore) {
        Session s = sessions.get(tokenHash);
        if (s == null || !s.lastSeenAt().isBefore(dueBefore)) {
            return false;
        }
        sessions.put(tokenHash, new Session(s.userId(), s.expiresAt(), now, s.revokedAt()));
        touches++;
        return true;
    }

    @Override
    public synchronized boolean revoke(String tokenHash, Instant now) {
        Session s = sessions.get(tokenHash);
        if (s == null || s.revokedAt() != null) {
            return false;
        }
        sessions.put(tokenHash, new Session(s.userId(), s.expiresAt(), s.lastSeenAt(), now));
        return true;
    }

    @Override
    public synchronized int revokeAllForUser(UUID userId, Instant now) {
        return revokeAllForUserExcept(userId, null, now);
    }

    @Override
    public synchronized int revokeAllForUserExcept(UUID userId, String keepTokenHash, Instant now) {
        int revoked = 0;
        for (Map.Entry<String, Session> entry : sessions.entrySet()) {
            Session s = entry.getValue();
            if (s.userId().equals(userId) && s.revokedAt() == null && !entry.getKey().equals(keepTokenHash)) {
                entry.setValue(new Session(s.userId(), s.expiresAt(), s.lastSeenAt(), now));
                revoked++;
            }
        }
        return revoked;
    }
}
