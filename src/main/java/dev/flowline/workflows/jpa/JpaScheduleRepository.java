package dev.flowline.workflows.jpa;

import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.workflows.MissedFiringPolicy;
import dev.flowline.workflows.Schedule;
import dev.flowline.workflows.ScheduleRepository;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@link ScheduleRepository} on PostgreSQL. Native SQL where PostgreSQL is needed, each covered by
 * {@code JpaWorkflowRepositoriesIT}: the upsert ({@code ON CONFLICT (workflow_id) DO UPDATE}) takes the workspace from
 * the workflow row, so a schedule can only be attached to a workflow of the given workspace; the poller's claim is
 * {@code FOR UPDATE OF s SKIP LOCKED}, so concurrent instances get disjoint sets.
 */
@Stateless
public class JpaScheduleRepository implements ScheduleRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public Optional<Schedule> findSchedule(UUID workspaceId, UUID workflowId) {
        return em.createNamedQuery(WorkflowScheduleEntity.FIND, Object[].class)
                .setParameter("workflowId", workflowId)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .findFirst()
                .map(WorkflowScheduleEntity::toSchedule);
    }

    /**
     * {@inheritDoc} The row is keyed by the workflow and takes its workspace from the workflow row: a workflow that
     * is not in {@code schedule.workspaceId()} is an {@link IllegalArgumentException} (the service checks first). A
     * null {@code lastFiredAt} keeps the one stored (settings changes do not erase the firing history).
     */
    @Override
    public Schedule saveSchedule(Schedule schedule, Instant now) {
        // INSERT ... SELECT: parameters in a select list are not typed by the target columns, hence the casts.
        int saved = em.createNativeQuery("""
                        INSERT INTO workflow_schedules (workflow_id, workspace_id, cron, timezone, missed_firing_policy,
                            paused, next_run_at, last_fired_at, updated_at)
                        SELECT w.id, w.workspace_id, CAST(?3 AS text), CAST(?4 AS text), CAST(?5 AS text),
                               CAST(?6 AS boolean), CAST(?7 AS timestamptz), CAST(?8 AS timestamptz),
                               CAST(?9 AS timestamptz)
                        FROM workflows w WHERE w.id = ?1 AND w.workspace_id = ?2
                        ON CONFLICT (workflow_id) DO UPDATE SET
                            cron = EXCLUDED.cron,
                            timezone = EXCLUDED.timezone,
                            missed_firing_policy = EXCLUDED.missed_firing_policy,
                            paused = EXCLUDED.paused,
                            next_run_at = EXCLUDED.next_run_at,
                            last_fired_at = COALESCE(EXCLUDED.last_fired_at, workflow_schedules.last_fired_at),
                            updated_at = EXCLUDED.updated_at""")
                .setParameter(1, schedule.workflowId())
                .setParameter(2, schedule.workspaceId())
                .setParameter(3, schedule.cron())
                .setParameter(4, schedule.timezone())
                .setParameter(5, (schedule.missedFiringPolicy() == null
                        ? MissedFiringPolicy.RUN_ONCE : schedule.missedFiringPolicy()).name())
                .setParameter(6, schedule.paused())
                .setParameter(7, SqlTimestamps.of(schedule.nextRunAt()))
                .setParameter(8, SqlTimestamps.of(schedule.lastFiredAt()))
                .setParameter(9, SqlTimestamps.of(now))
                .executeUpdate();
        if (saved != 1) {
            throw new IllegalArgumentException("No workflow " + schedule.workflowId() + " in workspace "
                    + schedule.workspaceId());
        }
        return findSchedule(schedule.workspaceId(), schedule.workflowId()).orElseThrow();
    }

    @Override
    public boolean deleteSchedule(UUID workspaceId, UUID workflowId) {
        return em.createNamedQuery(WorkflowScheduleEntity.DELETE)
                .setParameter("workflowId", workflowId)
                .setParameter("workspaceId", workspaceId)
                .executeUpdate() == 1;
    }

    /**
     * {@inheritDoc} Mandatory transaction: without the caller's transaction the row locks would be released as
     * soon as this method returns, and another instance could claim the same schedules.
     */
    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public List<Schedule> claimDueSchedules(Instant now, int limit, Collection<UUID> passedOver) {
        // ix_workflow_schedules_due (next_run_at) WHERE NOT paused serves the condition and the order; the ids passed
        // over go as one uuid[] literal (a handful at most: the schedules that failed in this poll).
        List<?> rows = em.createNativeQuery("""
                        SELECT s.workflow_id, s.workspace_id, s.cron, s.timezone, s.missed_firing_policy, s.paused,
                               s.next_run_at, s.last_fired_at
                        FROM workflow_schedules s JOIN workflows w ON w.id = s.workflow_id
                        WHERE NOT s.paused AND w.enabled AND s.next_run_at <= ?1
                          AND s.workflow_id <> ALL (CAST(?3 AS uuid[]))
                        ORDER BY s.next_run_at
                        LIMIT ?2
                        FOR UPDATE OF s SKIP LOCKED""")
                .setParameter(1, SqlTimestamps.of(now))
                .setParameter(2, limit)
                .setParameter(3, passedOver.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}")))
                .getResultList();
        return rows.stream()
                .map(Object[].class::cast)
                .map(row -> new Schedule((UUID) row[0], (UUID) row[1], (String) row[2], (String) row[3],
                        MissedFiringPolicy.valueOf((String) row[4]), (Boolean) row[5],
                        SqlTimestamps.toInstant(row[6]), SqlTimestamps.toInstant(row[7])))
                .toList();
    }

    @Override
    public void advanceSchedule(UUID workflowId, Instant nextRunAt, Instant firedAt) {
        em.createNamedQuery(WorkflowScheduleEntity.ADVANCE)
                .setParameter("nextRunAt", nextRunAt)
                .setParameter("firedAt", firedAt)
                .setParameter("workflowId", workflowId)
                .executeUpdate();
    }

    @Override
    public void recordScheduleError(UUID workflowId, String error, Instant at) {
        if (error == null) {
            em.createNamedQuery(WorkflowScheduleEntity.CLEAR_ERROR).setParameter("workflowId", workflowId).executeUpdate();
            return;
        }
        em.createNamedQuery(WorkflowScheduleEntity.RECORD_ERROR)
                .setParameter("error", error)
                .setParameter("at", at)
                .setParameter("workflowId", workflowId)
                .executeUpdate();
    }
}
