package dev.flowline.workspaces.jpa;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.workspaces.BillingCycle;
import dev.flowline.workspaces.BillingPeriod;
import dev.flowline.workspaces.Invitation;
import dev.flowline.workspaces.InvitationStatus;
import dev.flowline.workspaces.Member;
import dev.flowline.workspaces.Membership;
import dev.flowline.workspaces.NewInvitation;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.RunConsumption;
import dev.flowline.workspaces.RunUsage;
import dev.flowline.workspaces.Workspace;
import dev.flowline.workspaces.WorkspaceErrors;
import dev.flowline.workspaces.WorkspaceRepository;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link WorkspaceRepository} on PostgreSQL. Reads are named JPQL projections (checked at deployment, and never a
 * stale managed entity after a bulk update in the same transaction); simple changes are guarded JPQL bulk updates.
 * Native SQL where PostgreSQL is needed, each covered by {@code JpaWorkspaceRepositoryIT}:
 * <ul>
 *   <li>seats: the workspace row is locked ({@code FOR NO KEY UPDATE}) before seats are counted and an invitation
 *       stored;</li>
 *   <li>accepting: one guarded {@code UPDATE ... RETURNING}, then {@code INSERT ... ON CONFLICT DO NOTHING};</li>
 *   <li>run units: guarded single-statement increments ({@code UPDATE ... WHERE used < allocation RETURNING}), so
 *       concurrent runs never overshoot; the usage table is keyed by a timestamp, which a JPA id cannot convert;</li>
 *   <li>ownership transfer: both member rows locked, then demote before promote (one owner, a partial unique index);</li>
 *   <li>billing cycle: an upsert ({@code ON CONFLICT DO UPDATE}).</li>
 * </ul>
 */
@Stateless
public class JpaWorkspaceRepository implements WorkspaceRepository {

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
                : afterKey(em.createNamedQuery(WorkspaceMemberEntity.LIST_FOR_USER_AFTER, Object[].class), after);
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
                : afterKey(em.createNamedQuery(WorkspaceMemberEntity.LIST_AFTER, Object[].class), after);
        return query.setParameter("workspaceId", workspaceId)
                .setMaxResults(limit + 1)
                .getResultStream()
                .map(WorkspaceMemberEntity::toMember)
                .toList();
    }

    @Override
    public int countMembers(UUID workspaceId) {
        return em.createNamedQuery(WorkspaceMemberEntity.COUNT, Long.class)
                .setParameter("workspaceId", workspaceId)
                .getSingleResult()
                .intValue();
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

    // --- invitations ---

    @Override
    public int countSeats(UUID workspaceId, Instant now) {
        return countMembers(workspaceId) + countPendingInvitations(workspaceId, now);
    }

    @Override
    public int countPendingInvitations(UUID workspaceId, Instant now) {
        return em.createNamedQuery(WorkspaceInvitationEntity.COUNT_PENDING, Long.class)
                .setParameter("workspaceId", workspaceId)
                .setParameter("now", now)
                .getSingleResult()
                .intValue();
    }

    /**
     * {@inheritDoc} Also empty when the workspace does not exist (any more). A pending, unexpired invitation for
     * the same address must not exist (the service checks); the unique index {@code uk_workspace_invitations_
     * pending_email} is the backstop, and its violation propagates.
     */
    @Override
    public Optional<Invitation> tryCreateInvitation(NewInvitation invitation, int seatLimit, Instant now) {
        // Every call that adds a seat (this one) takes the workspace's row lock first, so the count below cannot be
        // overtaken: each READ COMMITTED statement sees what the previous lock holder committed. NO KEY UPDATE
        // serializes these callers (and renames) but, unlike FOR UPDATE, does not block the foreign-key checks of
        // inserts into the workspace's child tables (members joining, run counters) meanwhile.
        List<?> locked = em.createNativeQuery("SELECT name FROM workspaces WHERE id = ?1 FOR NO KEY UPDATE")
                .setParameter(1, invitation.workspaceId())
                .getResultList();
        if (locked.isEmpty()) {
            return Optional.empty();
        }
        String workspaceName = (String) locked.get(0);
        em.createNamedQuery(WorkspaceInvitationEntity.REVOKE_EXPIRED_FOR_EMAIL)
                .setParameter("revoked", InvitationStatus.REVOKED)
                .setParameter("now", now)
                .setParameter("workspaceId", invitation.workspaceId())
                .setParameter("email", invitation.email())
                .executeUpdate();
        // Checked again under the lock: two admins inviting one address at once would otherwise meet the partial
        // unique index as an error instead of a 409.
        boolean alreadyPending = listPendingInvitationsFor(invitation.email(), now).stream()
                .anyMatch(pending -> pending.workspaceId().equals(invitation.workspaceId()));
        if (alreadyPending) {
            throw new WorkspaceErrors.InvitationPendingException();
        }
        if (countSeats(invitation.workspaceId(), now) >= seatLimit) {
            return Optional.empty();
        }
        WorkspaceInvitationEntity entity = new WorkspaceInvitationEntity(UUID.randomUUID(), invitation.workspaceId(),
                invitation.email(), invitation.role(), invitation.tokenHash(), invitation.invitedBy(), now,
                invitation.expiresAt());
        em.persist(entity);
        em.flush();
        return Optional.of(entity.toInvitation(workspaceName));
    }

    @Override
    public Optional<Invitation> findInvitation(UUID workspaceId, UUID invitationId) {
        return em.createNamedQuery(WorkspaceInvitationEntity.FIND, Object[].class)
                .setParameter("id", invitationId)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .findFirst()
                .map(WorkspaceInvitationEntity::toInvitation);
    }

    @Override
    public Optional<Invitation> findInvitationByTokenHash(String tokenHash) {
        return em.createNamedQuery(WorkspaceInvitationEntity.FIND_BY_TOKEN_HASH, Object[].class)
                .setParameter("hash", tokenHash)
                .getResultStream()
                .findFirst()
                .map(WorkspaceInvitationEntity::toInvitation);
    }

    @Override
    public List<Invitation> listPendingInvitations(UUID workspaceId, Instant now, Keyset after, int limit) {
        TypedQuery<Object[]> query = after == null
                ? em.createNamedQuery(WorkspaceInvitationEntity.LIST_PENDING, Object[].class)
                : afterKey(em.createNamedQuery(WorkspaceInvitationEntity.LIST_PENDING_AFTER, Object[].class), after);
        return query.setParameter("workspaceId", workspaceId)
                .setParameter("now", now)
                .setMaxResults(limit + 1)
                .getResultStream()
                .map(WorkspaceInvitationEntity::toInvitation)
                .toList();
    }

    @Override
    public List<Invitation> listPendingInvitationsFor(String email, Instant now) {
        return em.createNamedQuery(WorkspaceInvitationEntity.LIST_PENDING_FOR_EMAIL, Object[].class)
                .setParameter("email", email)
                .setParameter("now", now)
                .getResultStream()
                .map(WorkspaceInvitationEntity::toInvitation)
                .toList();
    }

    @Override
    public Optional<Invitation> acceptInvitation(String tokenHash, UUID userId, Instant now) {
        // The guarded update answers the row once: a second (or concurrent) accept finds it no longer PENDING.
        List<?> accepted = em.createNativeQuery("""
                        WITH accepted AS (
                            UPDATE workspace_invitations SET status = 'ACCEPTED', responded_at = ?1
                            WHERE token_hash = ?2 AND status = 'PENDING' AND expires_at > ?1
                            RETURNING id, workspace_id, email, role, status, invited_by, created_at, expires_at,
                                      responded_at)
                        SELECT a.id, a.workspace_id, w.name, a.email, a.role, a.status, a.invited_by, a.created_at,
                               a.expires_at, a.responded_at
                        FROM accepted a JOIN workspaces w ON w.id = a.workspace_id""")
                .setParameter(1, SqlTimestamps.of(now))
                .setParameter(2, tokenHash)
                .getResultList();
        if (accepted.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) accepted.get(0);
        Invitation invitation = new Invitation((UUID) row[0], (UUID) row[1], (String) row[2], (String) row[3],
                WorkspaceRole.valueOf((String) row[4]), InvitationStatus.valueOf((String) row[5]), (UUID) row[6],
                SqlTimestamps.toInstant(row[7]), SqlTimestamps.toInstant(row[8]), SqlTimestamps.toInstant(row[9]));
        // Someone already a member keeps their role.
        em.createNativeQuery("""
                        INSERT INTO workspace_members (workspace_id, user_id, role, joined_at)
                        VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, invitation.workspaceId())
                .setParameter(2, userId)
                .setParameter(3, invitation.role().name())
                .setParameter(4, SqlTimestamps.of(now))
                .executeUpdate();
        return Optional.of(invitation);
    }

    @Override
    public boolean declineInvitation(String tokenHash, Instant now) {
        return em.createNamedQuery(WorkspaceInvitationEntity.DECLINE)
                .setParameter("declined", InvitationStatus.DECLINED)
                .setParameter("now", now)
                .setParameter("hash", tokenHash)
                .executeUpdate() == 1;
    }

    @Override
    public boolean revokeInvitation(UUID workspaceId, UUID invitationId, Instant now) {
        return em.createNamedQuery(WorkspaceInvitationEntity.REVOKE)
                .setParameter("revoked", InvitationStatus.REVOKED)
                .setParameter("now", now)
                .setParameter("id", invitationId)
                .setParameter("workspaceId", workspaceId)
                .executeUpdate() == 1;
    }

    @Override
    public Optional<Invitation> renewInvitation(UUID workspaceId, UUID invitationId, String newTokenHash,
                                                Instant expiresAt) {
        int renewed = em.createNamedQuery(WorkspaceInvitationEntity.RENEW)
                .setParameter("hash", newTokenHash)
                .setParameter("expiresAt", expiresAt)
                .setParameter("id", invitationId)
                .setParameter("workspaceId", workspaceId)
                .executeUpdate();
        return renewed == 1 ? findInvitation(workspaceId, invitationId) : Optional.empty();
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

    // --- run usage ---

    @Override
    public RunConsumption tryConsumeRun(UUID workspaceId, BillingPeriod period, int allocation, boolean overageAllowed) {
        while (true) {
            // The period's counter row, once (concurrent inserters wait for the first and then do nothing). Inside
            // the loop: if the workspace was deleted meanwhile, this fails on the foreign key instead of looping.
            em.createNativeQuery("""
                            INSERT INTO workspace_run_usage (workspace_id, period_start, period_end, used, overage)
                            VALUES (?1, ?2, ?3, 0, 0)
                            ON CONFLICT (workspace_id, period_start) DO NOTHING""")
                    .setParameter(1, workspaceId)
                    .setParameter(2, SqlTimestamps.of(period.start()))
                    .setParameter(3, SqlTimestamps.of(period.end()))
                    .executeUpdate();
            // Each UPDATE re-checks its guard on the latest row version after waiting for the row lock, so
            // concurrent consumers never take more than the allocation.
            if (!em.createNativeQuery("""
                            UPDATE workspace_run_usage SET used = used + 1
                            WHERE workspace_id = ?1 AND period_start = ?2 AND used < ?3
                            RETURNING used""")
                    .setParameter(1, workspaceId)
                    .setParameter(2, SqlTimestamps.of(period.start()))
                    .setParameter(3, allocation)
                    .getResultList().isEmpty()) {
                return RunConsumption.WITHIN_ALLOCATION;
            }
            if (!overageAllowed) {
                return RunConsumption.REFUSED;
            }
            if (!em.createNativeQuery("""
                            UPDATE workspace_run_usage SET overage = overage + 1
                            WHERE workspace_id = ?1 AND period_start = ?2 AND used >= ?3
                            RETURNING overage""")
                    .setParameter(1, workspaceId)
                    .setParameter(2, SqlTimestamps.of(period.start()))
                    .setParameter(3, allocation)
                    .getResultList().isEmpty()) {
                return RunConsumption.OVERAGE;
            }
            // A release freed a unit of the allocation between the two updates: take that one.
        }
    }

    @Override
    public void releaseRun(UUID workspaceId, Instant periodStart, RunConsumption kind) {
        String sql = switch (kind) {
            case WITHIN_ALLOCATION -> """
                    UPDATE workspace_run_usage SET used = used - 1
                    WHERE workspace_id = ?1 AND period_start = ?2 AND used > 0""";
            case OVERAGE -> """
                    UPDATE workspace_run_usage SET overage = overage - 1
                    WHERE workspace_id = ?1 AND period_start = ?2 AND overage > 0""";
            case REFUSED -> null;
        };
        if (sql == null) {
            return;
        }
        em.createNativeQuery(sql)
                .setParameter(1, workspaceId)
                .setParameter(2, SqlTimestamps.of(periodStart))
                .executeUpdate();
    }

    @Override
    public RunUsage getRunUsage(UUID workspaceId, BillingPeriod period) {
        List<?> rows = em.createNativeQuery("""
                        SELECT used, overage FROM workspace_run_usage WHERE workspace_id = ?1 AND period_start = ?2""")
                .setParameter(1, workspaceId)
                .setParameter(2, SqlTimestamps.of(period.start()))
                .getResultList();
        if (rows.isEmpty()) {
            return new RunUsage(period, 0, 0);
        }
        Object[] row = (Object[]) rows.get(0);
        return new RunUsage(period, ((Number) row[0]).intValue(), ((Number) row[1]).intValue());
    }

    // --- billing ---

    @Override
    public void upsertBillingCycle(BillingCycle cycle, Instant now) {
        em.createNativeQuery("""
                        INSERT INTO workspace_billing_cycles
                            (workspace_id, stripe_subscription_id, current_period_start, current_period_end, updated_at)
                        VALUES (?1, ?2, ?3, ?4, ?5)
                        ON CONFLICT (workspace_id) DO UPDATE SET
                            stripe_subscription_id = EXCLUDED.stripe_subscription_id,
                            current_period_start = EXCLUDED.current_period_start,
                            current_period_end = EXCLUDED.current_period_end,
                            updated_at = EXCLUDED.updated_at""")
                .setParameter(1, cycle.workspaceId())
                .setParameter(2, cycle.stripeSubscriptionId())
                .setParameter(3, SqlTimestamps.of(cycle.currentPeriod().start()))
                .setParameter(4, SqlTimestamps.of(cycle.currentPeriod().end()))
                .setParameter(5, SqlTimestamps.of(now))
                .executeUpdate();
    }

    @Override
    public Optional<BillingCycle> getBillingCycle(UUID workspaceId) {
        return em.createNamedQuery(WorkspaceBillingCycleEntity.FIND, Object[].class)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .findFirst()
                .map(WorkspaceBillingCycleEntity::toBillingCycle);
    }

    @Override
    public void clearBillingCycle(UUID workspaceId) {
        em.createNamedQuery(WorkspaceBillingCycleEntity.DELETE).setParameter("workspaceId", workspaceId).executeUpdate();
    }

    @Override
    public Optional<String> getOverageSubscriptionItemId(UUID workspaceId) {
        return em.createNamedQuery(WorkspaceEntity.FIND_OVERAGE_ITEM, String.class)
                .setParameter("id", workspaceId)
                .getResultStream()
                .filter(Objects::nonNull)
                .findFirst();
    }

    @Override
    public void setOverageSubscriptionItemId(UUID workspaceId, String subscriptionItemId) {
        em.createNamedQuery(WorkspaceEntity.SET_OVERAGE_ITEM)
                .setParameter("item", subscriptionItemId)
                .setParameter("id", workspaceId)
                .executeUpdate();
    }

    @Override
    public Optional<String> findOwnerStripeCustomerId(UUID workspaceId) {
        return em.createNamedQuery(WorkspaceMemberEntity.FIND_OWNER_STRIPE_CUSTOMER, String.class)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .filter(Objects::nonNull)
                .findFirst();
    }

    private static <T> TypedQuery<T> afterKey(TypedQuery<T> query, Keyset after) {
        return query.setParameter("at", after.at()).setParameter("id", after.id());
    }
}
