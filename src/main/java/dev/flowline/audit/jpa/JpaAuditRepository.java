package dev.flowline.audit.jpa;

import dev.flowline.audit.AuditEvent;
import dev.flowline.audit.AuditFilter;
import dev.flowline.audit.AuditRepository;
import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.KeysetParameters;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.workspaces.PlanTier;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@link AuditRepository} on PostgreSQL. */
@Stateless
public class JpaAuditRepository implements AuditRepository {

    /** The actor parameter meaning "anyone": no user has the nil UUID. */
    static final UUID ANYONE = new UUID(0, 0);
    /** The greatest UUID: the first page starts below it. */
    private static final UUID LAST_ID = new UUID(-1L, -1L);
    /** Far times PostgreSQL compares with, for an open range. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-01-01T00:00:00Z");

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public void append(AuditEvent event) {
        em.persist(new AuditEventEntity(event));
    }

    @Override
    public List<AuditEvent> listForWorkspace(UUID workspaceId, AuditFilter filter, Keyset after, int limit) {
        return list(AuditEventEntity.LIST_FOR_WORKSPACE, workspaceId, filter, after, limit);
    }

    @Override
    public List<AuditEvent> listForAccount(UUID accountId, AuditFilter filter, Keyset after, int limit) {
        return list(AuditEventEntity.LIST_FOR_ACCOUNT, accountId, filter, after, limit);
    }

    private List<AuditEvent> list(String query, UUID scope, AuditFilter filter, Keyset after, int limit) {
        Instant until = filter.until() == null ? LATEST : filter.until();
        TypedQuery<AuditEventEntity> rows = em.createNamedQuery(query, AuditEventEntity.class)
                .setParameter("scope", scope)
                .setParameter("event", filter.event() == null ? "" : filter.event())
                .setParameter("actor", filter.actorUserId() == null ? ANYONE : filter.actorUserId())
                .setParameter("anyone", ANYONE)
                .setParameter("since", filter.since() == null ? EARLIEST : filter.since())
                .setParameter("until", until);
        return KeysetParameters.bind(rows, after == null ? new Keyset(until, LAST_ID) : after)
                .setMaxResults(limit)
                .getResultStream()
                .map(AuditEventEntity::toAuditEvent)
                .toList();
    }

    @Override
    public int pruneWorkspaceEvents(PlanTier tier, Instant cutoff, int batchSize) {
        // SKIP LOCKED: instances pruning at once take different batches and never wait for each other
        return em.createNativeQuery("""
                        DELETE FROM audit_events WHERE id IN (
                            SELECT a.id FROM audit_events a JOIN workspaces w ON w.id = a.workspace_id
                            WHERE w.plan_tier = ?1 AND a.occurred_at < ?2
                            ORDER BY a.occurred_at
                            LIMIT ?3
                            FOR UPDATE OF a SKIP LOCKED)""")
                .setParameter(1, tier.name())
                .setParameter(2, SqlTimestamps.of(cutoff))
                .setParameter(3, batchSize)
                .executeUpdate();
    }

    @Override
    public int pruneOtherEvents(Instant cutoff, int batchSize) {
        return em.createNativeQuery("""
                        DELETE FROM audit_events WHERE id IN (
                            SELECT a.id FROM audit_events a
                            WHERE a.occurred_at < ?1
                              AND (a.workspace_id IS NULL
                                   OR NOT EXISTS (SELECT 1 FROM workspaces w WHERE w.id = a.workspace_id))
                            ORDER BY a.occurred_at
                            LIMIT ?2
                            FOR UPDATE OF a SKIP LOCKED)""")
                .setParameter(1, SqlTimestamps.of(cutoff))
                .setParameter(2, batchSize)
                .executeUpdate();
    }
}
