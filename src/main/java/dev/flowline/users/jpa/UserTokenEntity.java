package dev.flowline.users.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code user_tokens}: an emailed single-use token, by hash only. */
@Entity
@Table(name = "user_tokens")
@NamedQuery(name = UserTokenEntity.INVALIDATE_OPEN,
        query = "UPDATE UserTokenEntity t SET t.consumedAt = :now "
                + "WHERE t.userId = :userId AND t.purpose = :purpose AND t.consumedAt IS NULL")
@NamedQuery(name = UserTokenEntity.LAST_ISSUED,
        query = "SELECT t.createdAt FROM UserTokenEntity t WHERE t.userId = :userId AND t.purpose = :purpose "
                + "ORDER BY t.createdAt DESC")
@NamedQuery(name = UserTokenEntity.CONSUME_OF_USER,
        query = "UPDATE UserTokenEntity t SET t.consumedAt = :now WHERE t.tokenHash = :hash AND t.userId = :userId "
                + "AND t.purpose = :purpose AND t.consumedAt IS NULL AND t.expiresAt > :now")
public class UserTokenEntity {

    static final String INVALIDATE_OPEN = "UserToken.invalidateOpen";
    static final String LAST_ISSUED = "UserToken.lastIssued";
    static final String CONSUME_OF_USER = "UserToken.consumeOfUser";

    @Id
    private UUID id;

    @Column(name = "user_id", nullable = false)
    private UUID userId;

    @Column(nullable = false)
    private String purpose;

    @Column(name = "token_hash", nullable = false)
    private String tokenHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "consumed_at")
    private Instant consumedAt;

    protected UserTokenEntity() {
    }

    UserTokenEntity(UUID id, UUID userId, String purpose, String tokenHash, Instant createdAt, Instant expiresAt) {
        this.id = id;
        this.userId = userId;
        this.purpose = purpose;
        this.tokenHash = tokenHash;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }
}
