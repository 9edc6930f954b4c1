package dev.flowline.users.jpa;

import dev.flowline.platform.persistence.JsonObjectConverter;
import dev.flowline.users.AccountPlan;
import dev.flowline.users.User;
import jakarta.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code users}. Inserts are native ({@code ON CONFLICT}); see {@link JpaUserRepository}. The columns
 * {@code failed_login_count} and {@code locked_until} are no longer used (login throttling moved to the auth area's
 * {@code login_throttles}); a later changeset drops them once no running version writes them.
 */
@Entity
@Table(name = "users")
@NamedQuery(name = UserEntity.FIND_BY_EMAIL,
        query = "SELECT u FROM UserEntity u WHERE LOWER(u.email) = LOWER(:email)")
@NamedQuery(name = UserEntity.FIND_ID_BY_STRIPE_CUSTOMER,
        query = "SELECT u.id FROM UserEntity u WHERE u.stripeCustomerId = :customerId")
@NamedQuery(name = UserEntity.MARK_EMAIL_VERIFIED,
        query = "UPDATE UserEntity u SET u.emailVerifiedAt = :at, u.updatedAt = :at, u.version = u.version + 1 "
                + "WHERE u.id = :id AND u.emailVerifiedAt IS NULL")
@NamedQuery(name = UserEntity.SET_PASSWORD_HASH,
        query = "UPDATE UserEntity u SET u.passwordHash = :hash, u.updatedAt = :now, u.version = u.version + 1 "
                + "WHERE u.id = :id")
@NamedQuery(name = UserEntity.UPDATE_NAME,
        query = "UPDATE UserEntity u SET u.name = :name, u.updatedAt = :now, u.version = u.version + 1 WHERE u.id = :id")
@NamedQuery(name = UserEntity.UPDATE_PLAN,
        query = "UPDATE UserEntity u SET u.plan = :plan, u.version = u.version + 1 WHERE u.id = :id")
public class UserEntity {

    static final String FIND_BY_EMAIL = "User.findByEmail";
    static final String FIND_ID_BY_STRIPE_CUSTOMER = "User.findIdByStripeCustomer";
    static final String MARK_EMAIL_VERIFIED = "User.markEmailVerified";
    static final String SET_PASSWORD_HASH = "User.setPasswordHash";
    static final String UPDATE_NAME = "User.updateName";
    static final String UPDATE_PLAN = "User.updatePlan";

    @Id
    private UUID id;

    @Column(nullable = false)
    private String email;

    @Column(nullable = false)
    private String name;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Column(name = "email_verified_at")
    private Instant emailVerifiedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private AccountPlan plan;

    @Column(name = "stripe_customer_id")
    private String stripeCustomerId;

    @Convert(converter = JsonObjectConverter.class)
    @Column(columnDefinition = "jsonb", nullable = false)
    private JsonObject settings;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected UserEntity() {
    }

    User toUser() {
        return new User(id, email, name, passwordHash, emailVerifiedAt, plan, stripeCustomerId, settings,
                createdAt, updatedAt);
    }

    JsonObject settings() {
        return settings;
    }

    void replaceSettings(JsonObject newSettings, Instant now) {
        this.settings = newSettings;
        this.updatedAt = now;
    }
}
