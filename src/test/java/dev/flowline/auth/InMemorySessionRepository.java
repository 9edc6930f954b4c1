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

    private record Session(UUID userId, Instant expiresAt, Instant revokedAt) {
        boolean activeAt(Instant now) {
            return revokedAt == null && expiresAt.isAfter(now);
        }
    }

    private final Map<String, Session> sessions = new HashMap<>();

    @Override
    public synchronized void create(UUID userId, String tokenHash, Instant createdAt, Instant expiresAt, String userAgent) {
        sessions.put(tokenHash, new Session(userId, expiresAt, null));
    }

    @Override
    public synchronized Optional<UUID> findActiveUserId(String tokenHash, Instant now) {
        return Optional.ofNullable(sessions.get(tokenHash)).filter(s -> s.activeAt(now)).map(Session::userId);
    }

    @Override
    public synchronized boolean revoke(String tokenHash, Instant now) {
        Session session = sessions.get(tokenHash);
        if (session == null || session.revokedAt() != null) {
            return false;
        }
        sessions.put(tokenHash, new Session(session.userId(), session.expiresAt(), now));
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
                entry.setValue(new Session(s.userId(), s.expiresAt(), now));
                revoked++;
            }
        }
        return revoked;
    }
}
