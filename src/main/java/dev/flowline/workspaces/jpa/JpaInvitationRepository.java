package dev.flowline.workspaces.jpa;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.KeysetParameters;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.workspaces.Invitation;
import dev.flowline.workspaces.InvitationRenewal;
import dev.flowline.workspaces.InvitationRepository;
import dev.flowline.workspaces.InvitationStatus;
import dev.flowline.workspaces.NewInvitation;
import dev.flowline.workspaces.WorkspaceErrors;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link InvitationRepository} on PostgreSQL. Reads are named JPQL projections (checked at deployment, and never a
 * stale managed entity after a bulk update in the same transaction); simple changes are guarded JPQL bulk updates.
 * Native SQL where PostgreSQL is needed, each covered by {@code JpaWorkspaceRepositoryIT}:
 * <ul>
 *   <li>seats: the workspace row is locked ({@code FOR NO KEY UPDATE}) before seats are counted and an invitation
 *       stored;</li>
 *   <li>accepting: one guarded {@code UPDATE ... RETURNING} (never into a personal workspace), then
 *       {@code INSERT ... ON CONFLICT DO NOTHING}.</li>
 * </ul>
 */
@Stateless
public class JpaInvitationRepository implements InvitationRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public int countSeats(UUID workspaceId, Instant now) {
        return MemberCount.of(em, workspaceId) + countPendingInvitations(workspaceId, now);
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
                : KeysetParameters.bind(em.createNamedQuery(WorkspaceInvitationEntity.LIST_PENDING_AFTER, Object[].class),
                        after);
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
    public List<Invitation> listPendingInvitationsFor(String email, Instant now, Keyset after, int limit) {
        TypedQuery<Object[]> query = after == null
                ? em.createNamedQuery(WorkspaceInvitationEntity.LIST_PENDING_FOR_EMAIL, Object[].class)
                : KeysetParameters.bind(em.createNamedQuery(WorkspaceInvitationEntity.LIST_PENDING_FOR_EMAIL_AFTER,
                Object[].class), after);
        return query.setParameter("email", email)
                .setParameter("now", now)
                .setMaxResults(limit + 1)
                .getResultStream()
                .map(WorkspaceInvitationEntity::toInvitation)
                .toList();
    }

    @Override
    public Optional<Invitation> acceptInvitation(String tokenHash, UUID userId, Instant now) {
        // The guarded update answers the row once: a second (or concurrent) accept finds it no longer PENDING.
        // Nobody joins a personal workspace, whatever invitation they hold.
        List<?> accepted = em.createNativeQuery("""
                        WITH accepted AS (
                            UPDATE workspace_invitations SET status = 'ACCEPTED', responded_at = ?1
                            WHERE token_hash = ?2 AND status = 'PENDING' AND expires_at > ?1
                              AND workspace_id IN (SELECT id FROM workspaces WHERE NOT personal)
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
    public InvitationRenewal renewInvitation(UUID workspaceId, UUID invitationId, String newTokenHash,
                                             Instant expiresAt, Instant now, Duration minInterval) {
        // The pacing is decided by the update's guard (a concurrent resend waits for the row lock, then finds
        // resent_at moved on); the read after a refusal only says until when.
        int renewed = em.createNamedQuery(WorkspaceInvitationEntity.RENEW)
                .setParameter("hash", newTokenHash)
                .setParameter("expiresAt", expiresAt)
                .setParameter("now", now)
                .setParameter("resentBefore", now.minus(minInterval))
                .setParameter("id", invitationId)
                .setParameter("workspaceId", workspaceId)
                .executeUpdate();
        if (renewed == 1) {
            return findInvitation(workspaceId, invitationId).map(InvitationRenewal::of).orElseThrow();
        }
        return em.createNamedQuery(WorkspaceInvitationEntity.FIND_RESENT_AT, Instant.class)
                .setParameter("id", invitationId)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .filter(Objects::nonNull)
                .findFirst()
                .map(resentAt -> InvitationRenewal.pacedUntil(resentAt.plus(minInterval)))
                .orElseGet(InvitationRenewal::notPending);
    }

    @Override
    public boolean takeInvitationMail(UUID workspaceId, Instant now, Duration window, int limit) {
        if (limit < 1) {
            return false;
        }
        // One fixed window per workspace: a new one starts with this email once the old one has ended, else the
        // count goes up only below the limit. The guard sits on the conflicting row, so concurrent takers queue on
        // its lock and each sees the previous one's count.
        List<?> taken = em.createNativeQuery("""
                        INSERT INTO workspace_invitation_mails AS m (workspace_id, window_start, sent)
                        VALUES (?1, ?2, 1)
                        ON CONFLICT (workspace_id) DO UPDATE
                        SET window_start = CASE WHEN m.window_start <= ?3 THEN EXCLUDED.window_start ELSE m.window_start END,
                            sent = CASE WHEN m.window_start <= ?3 THEN 1 ELSE m.sent + 1 END
                        WHERE m.window_start <= ?3 OR m.sent < ?4
                        RETURNING m.sent""")
                .setParameter(1, workspaceId)
                .setParameter(2, SqlTimestamps.of(now))
                .setParameter(3, SqlTimestamps.of(now.minus(window)))
                .setParameter(4, limit)
                .getResultList();
        return !taken.isEmpty();
    }

    @Override
    public Optional<Instant> invitationMailWindowEnd(UUID workspaceId, Duration window) {
        List<?> rows = em.createNativeQuery("SELECT window_start FROM workspace_invitation_mails WHERE workspace_id = ?1")
                .setParameter(1, workspaceId)
                .getResultList();
        return rows.stream().findFirst().map(SqlTimestamps::toInstant).map(start -> start.plus(window));
    }
}
