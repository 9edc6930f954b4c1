package dev.flowline.auth.jpa;

import dev.flowline.auth.ActiveSession;
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
    public Optional<ActiveSession> findActive(String tokenHash, Instant now, Instant idleSince) {
        return em.createNamedQuery(UserSessionEntity.FIND_ACTIVE, Object[].class)
                .setParameter("hash", tokenHash)
                .setParameter("now", now)
                .setParameter("idleSince", idleSince)
                .getResultStream()
                .findFirst()
                .map(row -> new ActiveSession((UUID) row[0], (Instant) row[1]));
    }

    @Override
    public boolean touch(String tokenHash, Instant now, Instant dueBefore) {
        return em.createNamedQuery(UserSessionEntity.TOUCH)
                .setParameter("hash", tokenHash)
                .setParameter("now", now)
                .setParameter("dueBefore", dueBefore)
                .executeUpdate() > 0;
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
