package dev.flowline.auth.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code user_sessions}. */
@Entity
@Table(name = "user_sessions")
@NamedQuery(name = UserSessionEntity.FIND_ACTIVE,
        query = "SELECT s.userId, s.lastSeenAt FROM UserSessionEntity s WHERE s.tokenHash = :hash "
                + "AND s.revokedAt IS NULL AND s.expiresAt > :now AND s.lastSeenAt > :idleSince")
@NamedQuery(name = UserSessionEntity.TOUCH,
        query = "UPDATE UserSessionEntity s SET s.lastSeenAt = :now WHERE s.tokenHash = :hash AND s.lastSeenAt < :dueBefore")
@NamedQuery(name = UserSessionEntity.REVOKE,
        query = "UPDATE UserSessionEntity s SET s.revokedAt = :now WHERE s.tokenHash = :hash AND s.revokedAt IS NULL")
@NamedQuery(name = UserSessionEntity.REVOKE_ALL,
        query = "UPDATE UserSessionEntity s SET s.revokedAt = :now WHERE s.userId = :userId AND s.revokedAt IS NULL")
@NamedQuery(name = UserSessionEntity.REVOKE_ALL_EXCEPT,
        query = "UPDATE UserSessionEntity s SET s.revokedAt = :now "
                + "WHERE s.userId = :userId AND s.revokedAt IS NULL AND s.tokenHash <> :keep")
public class UserSessionEntity {

    static final String FIND_ACTIVE = "UserSession.findActive";
    static final String TOUCH = "UserSession.touch";
    static final String REVOKE = "UserSession.revoke";
    static final String REVOKE_ALL = "UserSession.revokeAll";
    static final String REVOKE_ALL_EXCEPT = "UserSession.revokeAllExcept";

    @Id
    private UUID id;

    @Column(name = "user_id", nullable = false)
    private UUID userId;

    @Column(name = "token_hash", nullable = false)
    private String tokenHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "last_seen_at", nullable = false)
    private Instant lastSeenAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "user_agent")
    private String userAgent;

    protected UserSessionEntity() {
    }

    UserSessionEntity(UUID id, UUID userId, String tokenHash, Instant createdAt, Instant expiresAt, String userAgent) {
        this.id = id;
        this.userId = userId;
        this.tokenHash = tokenHash;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.lastSeenAt = createdAt;
        this.userAgent = userAgent;
    }
}
