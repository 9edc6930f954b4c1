package dev.flowline.auth.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A row of {@code login_throttles}: attempts of one client address on one account since its last success. Written
 * only by the native upsert of {@link JpaLoginThrottleRepository}; mapped for the named deletes.
 */
@Entity
@Table(name = "login_throttles")
@IdClass(LoginThrottleEntity.Key.class)
@NamedQuery(name = LoginThrottleEntity.FORGET,
        query = "DELETE FROM LoginThrottleEntity t WHERE t.userId = :userId AND t.clientAddress = :clientAddress")
@NamedQuery(name = LoginThrottleEntity.FORGET_ALL, query = "DELETE FROM LoginThrottleEntity t WHERE t.userId = :userId")
public class LoginThrottleEntity {

    static final String FORGET = "LoginThrottle.forget";
    static final String FORGET_ALL = "LoginThrottle.forgetAll";

    @Id
    @Column(name = "user_id")
    private UUID userId;

    @Id
    @Column(name = "client_address")
    private String clientAddress;

    @Column(nullable = false)
    private int failures;

    @Column(name = "blocked_until")
    private Instant blockedUntil;

    @Column(name = "last_admitted", nullable = false)
    private boolean lastAdmitted;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected LoginThrottleEntity() {
    }

    /** The primary key (user_id, client_address). */
    public static class Key implements Serializable {

        private UUID userId;
        private String clientAddress;

        public Key() {
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(userId, key.userId)
                    && Objects.equals(clientAddress, key.clientAddress);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, clientAddress);
        }
    }
}
