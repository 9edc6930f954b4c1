package dev.flowline.users.jpa;

import dev.flowline.platform.json.Jsons;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.users.AccountPlan;
import dev.flowline.users.NewUser;
import dev.flowline.users.TokenPurpose;
import dev.flowline.users.User;
import dev.flowline.users.UserRepository;
import jakarta.ejb.Stateless;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * {@link UserRepository} on PostgreSQL. Reads and simple updates are named JPQL queries (checked at deployment);
 * the statements that must be atomic use PostgreSQL features JPQL lacks ({@code ON CONFLICT}, {@code RETURNING},
 * jsonb operators) as native SQL, each covered by a persistence test.
 */
@Stateless
public class JpaUserRepository implements UserRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public Optional<User> create(NewUser user, Instant now) {
        UUID id = UUID.randomUUID();
        int inserted = em.createNativeQuery("""
                        INSERT INTO users (id, email, name, password_hash, plan, settings, created_at, updated_at)
                        VALUES (?1, ?2, ?3, ?4, 'FREE', '{}'::jsonb, ?5, ?5)
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, id)
                .setParameter(2, user.email())
                .setParameter(3, user.name())
                .setParameter(4, user.passwordHash())
                .setParameter(5, SqlTimestamps.of(now))
                .executeUpdate();
        if (inserted == 0) {
            return Optional.empty();
        }
        return Optional.of(new User(id, user.email(), user.name(), user.passwordHash(), null, AccountPlan.FREE, null,
                Jsons.createObjectBuilder().build(), now, now));
    }

    @Override
    public Optional<User> findById(UUID userId) {
        return Optional.ofNullable(em.find(UserEntity.class, userId)).map(UserEntity::toUser);
    }

    @Override
    public Optional<User> findByEmail(String email) {
        return em.createNamedQuery(UserEntity.FIND_BY_EMAIL, UserEntity.class)
                .setParameter("email", email)
                .getResultStream()
                .findFirst()
                .map(UserEntity::toUser);
    }

    @Override
    public boolean markEmailVerified(UUID userId, Instant at) {
        return em.createNamedQuery(UserEntity.MARK_EMAIL_VERIFIED)
                .setParameter("id", userId)
                .setParameter("at", at)
                .executeUpdate() == 1;
    }

    @Override
    public void setPasswordHash(UUID userId, String passwordHash, Instant now) {
        em.createNamedQuery(UserEntity.SET_PASSWORD_HASH)
                .setParameter("id", userId)
                .setParameter("hash", passwordHash)
                .setParameter("now", now)
                .executeUpdate();
    }

    @Override
    public void updateName(UUID userId, String name, Instant now) {
        em.createNamedQuery(UserEntity.UPDATE_NAME)
                .setParameter("id", userId)
                .setParameter("name", name)
                .setParameter("now", now)
                .executeUpdate();
    }

    @Override
    public void storeToken(UUID userId, TokenPurpose purpose, String tokenHash, Instant createdAt, Instant expiresAt) {
        em.createNamedQuery(UserTokenEntity.INVALIDATE_OPEN)
                .setParameter("userId", userId)
                .setParameter("purpose", purpose.column())
                .setParameter("now", createdAt)
                .executeUpdate();
        em.persist(new UserTokenEntity(UUID.randomUUID(), userId, purpose.column(), tokenHash, createdAt, expiresAt));
        em.flush();
    }

    @Override
    public Optional<Instant> lastTokenIssuedAt(UUID userId, TokenPurpose purpose) {
        return em.createNamedQuery(UserTokenEntity.LAST_ISSUED, Instant.class)
                .setParameter("userId", userId)
                .setParameter("purpose", purpose.column())
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }

    @Override
    public Optional<UUID> consumeToken(TokenPurpose purpose, String tokenHash, Instant now) {
        List<?> userIds = em.createNativeQuery("""
                        UPDATE user_tokens SET consumed_at = ?1
                        WHERE token_hash = ?2 AND purpose = ?3 AND consumed_at IS NULL AND expires_at > ?1
                        RETURNING user_id""")
                .setParameter(1, SqlTimestamps.of(now))
                .setParameter(2, tokenHash)
                .setParameter(3, purpose.column())
                .getResultList();
        return userIds.stream().findFirst().map(UUID.class::cast);
    }

    @Override
    public boolean consumeTokenOf(UUID userId, TokenPurpose purpose, String tokenHash, Instant now) {
        return em.createNamedQuery(UserTokenEntity.CONSUME_OF_USER)
                .setParameter("userId", userId)
                .setParameter("purpose", purpose.column())
                .setParameter("hash", tokenHash)
                .setParameter("now", now)
                .executeUpdate() == 1;
    }

    @Override
    public Optional<JsonObject> getSettings(UUID userId) {
        return Optional.ofNullable(em.find(UserEntity.class, userId)).map(UserEntity::settings);
    }

    @Override
    public Optional<JsonObject> updateSettings(UUID userId, UnaryOperator<JsonObject> change, Instant now) {
        UserEntity user = em.find(UserEntity.class, userId, LockModeType.PESSIMISTIC_WRITE);
        if (user == null) {
            return Optional.empty();
        }
        user.replaceSettings(change.apply(user.settings()), now);
        em.flush();
        return Optional.of(user.settings());
    }

    @Override
    public void updatePlan(UUID userId, AccountPlan plan) {
        em.createNamedQuery(UserEntity.UPDATE_PLAN)
                .setParameter("id", userId)
                .setParameter("plan", plan)
                .executeUpdate();
    }

    @Override
    public Optional<String> getStripeCustomerId(UUID userId) {
        return Optional.ofNullable(em.find(UserEntity.class, userId))
                .map(UserEntity::toUser)
                .map(User::stripeCustomerId);
    }

    @Override
    public String setStripeCustomerId(UUID userId, String stripeCustomerId) {
        // COALESCE keeps an id that is already there; RETURNING answers whichever is stored.
        List<?> stored = em.createNativeQuery("""
                        UPDATE users SET stripe_customer_id = COALESCE(stripe_customer_id, ?1), version = version + 1
                        WHERE id = ?2
                        RETURNING stripe_customer_id""")
                .setParameter(1, stripeCustomerId)
                .setParameter(2, userId)
                .getResultList();
        return stored.stream().findFirst().map(String.class::cast)
                .orElseThrow(() -> new IllegalArgumentException("No user " + userId));
    }

    @Override
    public Optional<UUID> findUserIdByStripeCustomerId(String stripeCustomerId) {
        return em.createNamedQuery(UserEntity.FIND_ID_BY_STRIPE_CUSTOMER, UUID.class)
                .setParameter("customerId", stripeCustomerId)
                .getResultStream()
                .findFirst();
    }

    @Override
    public void recordPendingCheckout(UUID userId, String checkoutSessionId, Instant at) {
        em.createNativeQuery("""
                        UPDATE users SET settings = jsonb_set(settings, '{billing}',
                                COALESCE(settings -> 'billing', '{}'::jsonb)
                                || jsonb_build_object('pending_checkout',
                                       jsonb_build_object('session_id', CAST(?1 AS text), 'created_at', CAST(?2 AS text)))),
                            updated_at = ?3, version = version + 1
                        WHERE id = ?4""")
                .setParameter(1, checkoutSessionId)
                .setParameter(2, at.toString())
                .setParameter(3, SqlTimestamps.of(at))
                .setParameter(4, userId)
                .executeUpdate();
    }

    @Override
    public boolean clearPendingCheckout(UUID userId, String lastError, Instant at) {
        return em.createNativeQuery("""
                        UPDATE users SET settings = jsonb_set(settings, '{billing}',
                                (COALESCE(settings -> 'billing', '{}'::jsonb) - 'pending_checkout')
                                || jsonb_build_object('last_error', CAST(?1 AS text), 'last_error_at', CAST(?2 AS text))),
                            updated_at = ?3, version = version + 1
                        WHERE id = ?4""")
                .setParameter(1, lastError)
                .setParameter(2, at.toString())
                .setParameter(3, SqlTimestamps.of(at))
                .setParameter(4, userId)
                .executeUpdate() == 1;
    }
}
