package dev.flowline.auth;

import dev.flowline.platform.security.OpaqueTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Issues, checks and revokes login sessions. Tokens are random; only their SHA-256 hash is stored. */
@ApplicationScoped
@Transactional
public class SessionService {

    /** Longer than any token we issue; refuses absurd headers before hashing them. */
    private static final int MAX_TOKEN_LENGTH = 256;

    @Inject
    SessionRepository sessions;

    @Inject
    AuthSettings settings;

    @Inject
    Clock clock;

    public IssuedSession open(UUID userId, String userAgent) {
        String token = OpaqueTokens.generate();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(settings.sessionTtl());
        sessions.create(userId, OpaqueTokens.hash(token), now, expiresAt, userAgent);
        return new IssuedSession(userId, token, expiresAt);
    }

    /**
     * The user of an active session with this token. A session unused for {@code flowline.auth.session-idle-minutes}
     * has ended. Its last-seen time is written at most once per {@code flowline.auth.session-touch-minutes}, so most
     * requests only read; the idle timeout is therefore exact to within that interval.
     */
    public Optional<UUID> authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        String hash = OpaqueTokens.hash(token);
        Instant now = clock.instant();
        Optional<ActiveSession> session = sessions.findActive(hash, now, now.minus(settings.sessionIdleTimeout()));
        Instant dueBefore = now.minus(settings.sessionTouchInterval());
        session.filter(s -> s.lastSeenAt().isBefore(dueBefore)).ifPresent(s -> sessions.touch(hash, now, dueBefore));
        return session.map(ActiveSession::userId);
    }

    public void revoke(String tokenHash) {
        sessions.revoke(tokenHash, clock.instant());
    }

    public int revokeAll(UUID userId) {
        return sessions.revokeAllForUser(userId, clock.instant());
    }

    public int revokeAllExcept(UUID userId, String keepTokenHash) {
        return sessions.revokeAllForUserExcept(userId, keepTokenHash, clock.instant());
    }
}
