package dev.flowline.workspaces.jpa;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.KeysetParameters;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.workspaces.OwnershipOffer;
import dev.flowline.workspaces.OwnershipOfferRepository;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link OwnershipOfferRepository} on PostgreSQL. Reads are named JPQL projections; answering and withdrawing are
 * guarded JPQL bulk deletes. Native SQL, covered by {@code JpaWorkspaceRepositoryIT}: making an offer (both member
 * rows {@code FOR SHARE} in user id order, then {@code INSERT ... ON CONFLICT DO UPDATE}).
 */
@Stateless
public class JpaOwnershipOfferRepository implements OwnershipOfferRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    /**
     * {@inheritDoc} The share locks are taken in the order {@code JpaWorkspaceRepository.transferOwnership} takes its
     * update locks, so an offer and an acceptance in one workspace queue instead of deadlocking; a removal of either
     * member waits too, and then removes the offer with the member row (cascade).
     */
    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public Optional<OwnershipOffer> offer(UUID workspaceId, UUID offeredBy, UUID offeredTo, Instant now,
                                          Instant expiresAt) {
        if (offeredBy.equals(offeredTo)) {
            return Optional.empty();
        }
        List<?> locked = em.createNativeQuery("""
                        SELECT user_id, role FROM workspace_members
                        WHERE workspace_id = ?1 AND user_id IN (?2, ?3)
                        ORDER BY user_id
                        FOR SHARE""")
                .setParameter(1, workspaceId)
                .setParameter(2, offeredBy)
                .setParameter(3, offeredTo)
                .getResultList();
        boolean byOwner = false;
        boolean toMember = false;
        for (Object result : locked) {
            Object[] row = (Object[]) result;
            if (offeredBy.equals(row[0])) {
                byOwner = WorkspaceRole.OWNER.name().equals(row[1]);
            } else if (offeredTo.equals(row[0])) {
                toMember = true;
            }
        }
        if (!byOwner || !toMember) {
            return Optional.empty();
        }
        em.createNativeQuery("""
                        INSERT INTO workspace_ownership_offers (workspace_id, offered_by, offered_to, created_at, expires_at)
                        VALUES (?1, ?2, ?3, ?4, ?5)
                        ON CONFLICT (workspace_id) DO UPDATE
                        SET offered_by = EXCLUDED.offered_by, offered_to = EXCLUDED.offered_to,
                            created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at""")
                .setParameter(1, workspaceId)
                .setParameter(2, offeredBy)
                .setParameter(3, offeredTo)
                .setParameter(4, SqlTimestamps.of(now))
                .setParameter(5, SqlTimestamps.of(expiresAt))
                .executeUpdate();
        return find(workspaceId);
    }

    @Override
    public Optional<OwnershipOffer> find(UUID workspaceId) {
        return em.createNamedQuery(WorkspaceOwnershipOfferEntity.FIND, Object[].class)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .findFirst()
                .map(WorkspaceOwnershipOfferEntity::toOffer);
    }

    @Override
    public List<OwnershipOffer> listOpenFor(UUID userId, Instant now, Keyset after, int limit) {
        TypedQuery<Object[]> query = after == null
                ? em.createNamedQuery(WorkspaceOwnershipOfferEntity.LIST_OPEN_FOR_USER, Object[].class)
                : KeysetParameters.bind(em.createNamedQuery(WorkspaceOwnershipOfferEntity.LIST_OPEN_FOR_USER_AFTER,
                Object[].class), after);
        return query.setParameter("userId", userId)
                .setParameter("now", now)
                .setMaxResults(limit + 1)
                .getResultStream()
                .map(WorkspaceOwnershipOfferEntity::toOffer)
                .toList();
    }

    @Override
    public boolean take(UUID workspaceId, UUID offeredBy, UUID offeredTo, Instant now) {
        return em.createNamedQuery(WorkspaceOwnershipOfferEntity.TAKE)
                .setParameter("workspaceId", workspaceId)
                .setParameter("offeredBy", offeredBy)
                .setParameter("offeredTo", offeredTo)
                .setParameter("now", now)
                .executeUpdate() == 1;
    }

    @Override
    public boolean withdraw(UUID workspaceId, UUID offeredBy) {
        return em.createNamedQuery(WorkspaceOwnershipOfferEntity.WITHDRAW)
                .setParameter("workspaceId", workspaceId)
                .setParameter("offeredBy", offeredBy)
                .executeUpdate() == 1;
    }
}
