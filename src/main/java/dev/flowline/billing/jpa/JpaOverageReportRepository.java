package dev.flowline.billing.jpa;

import dev.flowline.billing.OverageReport;
import dev.flowline.billing.OverageReportRepository;
import dev.flowline.billing.OverageStatus;
import dev.flowline.platform.persistence.SqlTimestamps;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@link OverageReportRepository} on PostgreSQL, native SQL throughout (covered by {@code BillingApiIT}).
 * <p>
 * Enqueueing reads the overage counters of {@code workspace_run_usage} (owned by workspaces; read only, as the source
 * of what to bill) and adds, per counter that grew, the slice (reported, overage]. A slice starts where the previous
 * one ended, and (workspace, period, start) is unique, so two instances enqueueing at once add it once
 * ({@code ON CONFLICT DO NOTHING}) and never overlapping slices. A counter that went down (a queued run canceled) is
 * not reported again until it grows past what was reported.
 */
@Stateless
public class JpaOverageReportRepository implements OverageReportRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public int enqueue(Instant now) {
        return em.createNativeQuery("""
                        INSERT INTO billing_overage_reports (id, workspace_id, period_start, units_from, units_to,
                            stripe_customer_id, identifier, created_at, attempts, next_attempt_at)
                        SELECT gen_random_uuid(), u.workspace_id, u.period_start, COALESCE(r.reported, 0), u.overage,
                            c.stripe_customer_id,
                            'flowline-overage-' || u.workspace_id || '-' || floor(extract(epoch FROM u.period_start))::bigint
                                || '-' || COALESCE(r.reported, 0) || '-' || u.overage,
                            ?1, 0, ?1
                        FROM workspace_run_usage u
                        JOIN workspaces w ON w.id = u.workspace_id AND w.overage_subscription_item_id IS NOT NULL
                        JOIN workspace_members m ON m.workspace_id = w.id AND m.role = 'OWNER'
                        JOIN users c ON c.id = m.user_id AND c.stripe_customer_id IS NOT NULL
                        LEFT JOIN (SELECT workspace_id, period_start, max(units_to) AS reported
                                   FROM billing_overage_reports GROUP BY workspace_id, period_start) r
                            ON r.workspace_id = u.workspace_id AND r.period_start = u.period_start
                        WHERE u.overage > COALESCE(r.reported, 0)
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, SqlTimestamps.of(now))
                .executeUpdate();
    }

    @Override
    public List<OverageReport> claimDue(Instant now, Instant leaseUntil, int limit) {
        List<?> rows = em.createNativeQuery("""
                        UPDATE billing_overage_reports r SET attempts = r.attempts + 1, next_attempt_at = ?2
                        WHERE r.id IN (SELECT id FROM billing_overage_reports
                                       WHERE sent_at IS NULL AND next_attempt_at <= ?1
                                       ORDER BY next_attempt_at LIMIT ?3 FOR UPDATE SKIP LOCKED)
                        RETURNING r.id, r.workspace_id, r.stripe_customer_id, r.identifier, r.units_to - r.units_from,
                            r.created_at, r.attempts""")
                .setParameter(1, SqlTimestamps.of(now))
                .setParameter(2, SqlTimestamps.of(leaseUntil))
                .setParameter(3, limit)
                .getResultList();
        return rows.stream().map(Object[].class::cast).map(row -> new OverageReport((UUID) row[0], (UUID) row[1],
                (String) row[2], (String) row[3], ((Number) row[4]).intValue(), SqlTimestamps.toInstant(row[5]),
                ((Number) row[6]).intValue())).toList();
    }

    @Override
    public void markSent(UUID reportId, Instant at) {
        em.createNativeQuery("""
                        UPDATE billing_overage_reports SET sent_at = ?1, next_attempt_at = NULL WHERE id = ?2""")
                .setParameter(1, SqlTimestamps.of(at))
                .setParameter(2, reportId)
                .executeUpdate();
    }

    @Override
    public void markFailed(UUID reportId, String error, Instant at, Instant nextAttemptAt) {
        em.createNativeQuery("""
                        UPDATE billing_overage_reports SET last_error = ?1, last_error_at = ?2, next_attempt_at = ?3
                        WHERE id = ?4 AND sent_at IS NULL""")
                .setParameter(1, error)
                .setParameter(2, SqlTimestamps.of(at))
                .setParameter(3, SqlTimestamps.of(nextAttemptAt))
                .setParameter(4, reportId)
                .executeUpdate();
    }

    @Override
    public OverageStatus status(UUID workspaceId, Instant periodStart) {
        Object[] row = (Object[]) em.createNativeQuery("""
                        SELECT COALESCE(sum(units_to - units_from) FILTER (WHERE sent_at IS NOT NULL), 0),
                               COALESCE(sum(units_to - units_from) FILTER (WHERE sent_at IS NULL), 0),
                               (SELECT last_error FROM billing_overage_reports
                                WHERE workspace_id = ?1 AND sent_at IS NULL AND last_error IS NOT NULL
                                ORDER BY last_error_at DESC LIMIT 1),
                               (SELECT max(last_error_at) FROM billing_overage_reports
                                WHERE workspace_id = ?1 AND sent_at IS NULL AND last_error IS NOT NULL)
                        FROM billing_overage_reports WHERE workspace_id = ?1 AND period_start = ?2""")
                .setParameter(1, workspaceId)
                .setParameter(2, SqlTimestamps.of(periodStart))
                .getSingleResult();
        return new OverageStatus(((Number) row[0]).intValue(), ((Number) row[1]).intValue(), (String) row[2],
                row[3] == null ? null : SqlTimestamps.toInstant(row[3]));
    }
}
