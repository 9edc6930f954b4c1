package dev.flowline.auth.jpa;

import dev.flowline.auth.SessionRepository;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** {@link SessionRepository} on PostgreSQL; every lookup goes through the unique index on the token hash. */
@Stateless
public class JpaSessionRepository implements SessionRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public void create(UUID userId, String tokenHash, Instant createdAt, Instant expiresAt, String userAgent) {
        em.persist(new UserSessionEntity(UUID.randomUUID(), userId, tokenHash, createdAt, expiresAt, userAgent));
        em.flush();
    }

    @Override
    public Optional<UUID> findActiveUserId(String tokenHash, Instant now) {
        return em.createNamedQuery(UserSessionEntity.FIND_ACTIVE_USER, UUID.class)
                .setParameter("hash", tokenHash)
                .setParameter("now", now)
                .getResultStream()
                .findFirst();
    }

    @Override
    public boolean revoke(String tokenHash, Instant now) {
        return em.createNamedQuery(UserSessionEntity.REVOKE)
                .setParameter("hash", tokenHash)
                .setParameter("now", now)
                .executeUpdate() > 0;
    }

    @Override
    public int revokeAllForUser(UUID userId, Instant now) {
        return em.createNamedQuery(UserSessionEntity.REVOKE_ALL)
                .setParameter("userId", userId)
                .setParameter("now", now)
                .executeUpdate();
    }

    @Override
    public int revokeAllForUserExcept(UUID userId, String keepTokenHash, Instant now) {
        return em.createNamedQuery(UserSessionEntity.REVOKE_ALL_EXCEPT)
                .setParameter("userId", userId)
                .setParameter("keep", keepTokenHash)
                .setParameter("now", now)
                .executeUpdate();
    }
}
