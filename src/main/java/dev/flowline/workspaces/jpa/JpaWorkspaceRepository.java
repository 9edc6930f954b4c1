package dev.flowline.workspaces.jpa;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.KeysetParameters;
import dev.flowline.workspaces.Member;
import dev.flowline.workspaces.Membership;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.Workspace;
import dev.flowline.workspaces.WorkspaceRepository;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link WorkspaceRepository} on PostgreSQL. Reads are named JPQL projections (checked at deployment, and never a
 * stale managed entity after a bulk update in the same transaction); simple changes are guarded JPQL bulk updates.
 * Native SQL where PostgreSQL is needed, covered by {@code JpaWorkspaceRepositoryIT}:
 * <ul>
 *   <li>ownership transfer: both member rows locked, then demote before promote (one owner, a partial unique
 *       index).</li>
 * </ul>
 */
@Stateless
public class JpaWorkspaceRepository implements WorkspaceRepository {

    /** The first key of the advisory locks on a user's ownerships ("FLOW"), apart from any other advisory lock. */
    private static final int OWNERSHIP_LOCK_CLASS = 0x464C4F57;

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    // --- workspaces ---

    @Override
    public Workspace create(String name, boolean personal, PlanTier tier, UUID ownerId, Instant now) {
        WorkspaceEntity workspace = new WorkspaceEntity(UUID.randomUUID(), name, personal, tier, now);
        em.persist(workspace);
        em.flush();
        Workspace created = workspace.toWorkspace();
        em.persist(new WorkspaceMemberEntity(created.id(), ownerId, WorkspaceRole.OWNER, now));
        em.flush();
        return created;
    }

    /**
     * {@inheritDoc} The lock is a transaction-scoped advisory lock on (a Flowline class id, a hash of the user id):
     * it locks no row, so members, runs and everything else of the user's workspaces go on meanwhile. A collision
     * of hashes only makes two users wait for each other for a moment. The count runs in the next statement, so it
     * sees what the previous holder committed.
     */
    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public int lockOwnedTeamWorkspaces(UUID userId) {
        em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(?1, ?2)) AS locked")
                .setParameter(1, OWNERSHIP_LOCK_CLASS)
                .setParameter(2, userId.hashCode())
                .getResultList();
        Number owned = (Number) em.createNativeQuery("""
                        SELECT count(*) FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id
                        WHERE m.user_id = ?1 AND m.role = 'OWNER' AND NOT w.personal""")
                .setParameter(1, userId)
                .getSingleResult();
        return owned.intValue();
    }

    @Override
    public Optional<Workspace> findById(UUID workspaceId) {
        return em.createNamedQuery(WorkspaceEntity.FIND, Object[].class)
                .setParameter("id", workspaceId)
                .getResultStream()
                .findFirst()
                .map(row -> WorkspaceEntity.toWorkspace(row, 0));
    }

    @Override
    public List<Membership> listForUser(UUID userId, Keyset after, int limit) {
        TypedQuery<Object[]> query = after == null
                ? em.createNamedQuery(WorkspaceMemberEntity.LIST_FOR_USER, Object[].class)
                : KeysetParameters.bind(em.createNamedQuery(WorkspaceMemberEntity.LIST_FOR_USER_AFTER, Object[].class),
                        after);
        return query.setParameter("userId", userId)
                .setMaxResults(limit + 1)
                .getResultStream()
                .map(row -> new Membership(WorkspaceEntity.toWorkspace(row, 0),
                        (WorkspaceRole) row[WorkspaceEntity.COLUMN_COUNT]))
                .toList();
    }

    @Override
    public Optional<Workspace> rename(UUID workspaceId, String name, Long expectedVersion, Instant now) {
        Query update = expectedVersion == null
                ? em.createNamedQuery(WorkspaceEntity.RENAME)
                : em.createNamedQuery(WorkspaceEntity.RENAME_AT_VERSION).setParameter("version", expectedVersion);
        int updated = update.setParameter("id", workspaceId)
                .setParameter("name", name)
                .setParameter("now", now)
                .executeUpdate();
        return updated == 1 ? findById(workspaceId) : Optional.empty();
    }

    @Override
    public boolean delete(UUID workspaceId) {
        return em.createNamedQuery(WorkspaceEntity.DELETE).setParameter("id", workspaceId).executeUpdate() == 1;
    }

    // --- members ---

    @Override
    public boolean isMember(UUID workspaceId, UUID userId) {
        return findRole(workspaceId, userId).isPresent();
    }

    @Override
    public Optional<WorkspaceRole> findRole(UUID workspaceId, UUID userId) {
        return em.createNamedQuery(WorkspaceMemberEntity.FIND_ROLE, WorkspaceRole.class)
                .setParameter("workspaceId", workspaceId)
                .setParameter("userId", userId)
                .getResultStream()
                .findFirst();
    }

    @Override
    public Optional<Member> findMember(UUID workspaceId, UUID userId) {
        return em.createNamedQuery(WorkspaceMemberEntity.FIND, Object[].class)
                .setParameter("workspaceId", workspaceId)
                .setParameter("userId", userId)
                .getResultStream()
                .findFirst()
                .map(WorkspaceMemberEntity::toMember);
    }

    @Override
    public List<Member> listMembers(UUID workspaceId, Keyset after, int limit) {
        TypedQuery<Object[]> query = after == null
                ? em.createNamedQuery(WorkspaceMemberEntity.LIST, Object[].class)
                : KeysetParameters.bind(em.createNamedQuery(WorkspaceMemberEntity.LIST_AFTER, Object[].class), after);
        return query.setParameter("workspaceId", workspaceId)
                .setMaxResults(limit + 1)
                .getResultStream()
                .map(WorkspaceMemberEntity::toMember)
                .toList();
    }

    @Override
    public int countMembers(UUID workspaceId) {
        return MemberCount.of(em, workspaceId);
    }

    @Override
    public boolean changeRole(UUID workspaceId, UUID userId, WorkspaceRole role) {
        if (role == WorkspaceRole.OWNER) {
            throw new IllegalArgumentException("The owner changes only by transferOwnership");
        }
        return em.createNamedQuery(WorkspaceMemberEntity.CHANGE_ROLE_OF_NON_OWNER)
                .setParameter("workspaceId", workspaceId)
                .setParameter("userId", userId)
                .setParameter("role", role)
                .executeUpdate() == 1;
    }

    @Override
    public boolean removeMember(UUID workspaceId, UUID userId) {
        return em.createNamedQuery(WorkspaceMemberEntity.REMOVE_NON_OWNER)
                .setParameter("workspaceId", workspaceId)
                .setParameter("userId", userId)
                .executeUpdate() == 1;
    }

    @Override
    public boolean transferOwnership(UUID workspaceId, UUID currentOwnerId, UUID newOwnerId) {
        if (currentOwnerId.equals(newOwnerId)) {
            return findRole(workspaceId, currentOwnerId).filter(WorkspaceRole.OWNER::equals).isPresent();
        }
        // Lock both member rows (in key order, so two transfers cannot deadlock): a concurrent removal or role
        // change of either waits for this transaction and then re-checks its own guard against the new roles.
        List<?> locked = em.createNativeQuery("""
                        SELECT user_id, role FROM workspace_members
                        WHERE workspace_id = ?1 AND user_id IN (?2, ?3)
                        ORDER BY user_id
                        FOR UPDATE""")
                .setParameter(1, workspaceId)
                .setParameter(2, currentOwnerId)
                .setParameter(3, newOwnerId)
                .getResultList();
        boolean currentIsOwner = false;
        boolean newIsMember = false;
        for (Object result : locked) {
            Object[] row = (Object[]) result;
            if (currentOwnerId.equals(row[0])) {
                currentIsOwner = WorkspaceRole.OWNER.name().equals(row[1]);
            } else if (newOwnerId.equals(row[0])) {
                newIsMember = true;
            }
        }
        if (!currentIsOwner || !newIsMember) {
            return false;
        }
        // uk_workspace_members_owner admits one owner at any moment: demote first, then promote.
        setRole(workspaceId, currentOwnerId, WorkspaceRole.ADMIN);
        setRole(workspaceId, newOwnerId, WorkspaceRole.OWNER);
        return true;
    }

    private void setRole(UUID workspaceId, UUID userId, WorkspaceRole role) {
        int updated = em.createNamedQuery(WorkspaceMemberEntity.SET_ROLE)
                .setParameter("workspaceId", workspaceId)
                .setParameter("userId", userId)
                .setParameter("role", role)
                .executeUpdate();
        if (updated != 1) {
            throw new IllegalStateException("The locked member row " + workspaceId + "/" + userId + " is gone");
        }
    }

    @Override
    public Optional<UUID> findOwner(UUID workspaceId) {
        return em.createNamedQuery(WorkspaceMemberEntity.FIND_OWNER, UUID.class)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .findFirst();
    }

    // --- plan ---

    @Override
    public Optional<PlanTier> getPlan(UUID workspaceId) {
        return em.createNamedQuery(WorkspaceEntity.FIND_PLAN, PlanTier.class)
                .setParameter("id", workspaceId)
                .getResultStream()
                .findFirst();
    }

    @Override
    public boolean setPlan(UUID workspaceId, PlanTier tier, Instant now) {
        return em.createNamedQuery(WorkspaceEntity.SET_PLAN)
                .setParameter("tier", tier)
                .setParameter("now", now)
                .setParameter("id", workspaceId)
                .executeUpdate() == 1;
    }
}
