package dev.flowline.workflows.jpa;

import dev.flowline.workflows.MissedFiringPolicy;
import dev.flowline.workflows.Schedule;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code workflow_schedules}, keyed by its workflow. Written by a native upsert and claimed by the
 * scheduler with a native {@code FOR UPDATE SKIP LOCKED} (see {@link JpaWorkflowRepository}); read, advanced and
 * deleted here.
 */
@Entity
@Table(name = "workflow_schedules")
@NamedQuery(name = WorkflowScheduleEntity.FIND,
        query = "SELECT s.workflowId, s.workspaceId, s.cron, s.timezone, s.missedFiringPolicy, s.paused, "
                + "s.nextRunAt, s.lastFiredAt, s.lastError, s.lastErrorAt FROM WorkflowScheduleEntity s "
                + "WHERE s.workflowId = :workflowId AND s.workspaceId = :workspaceId")
@NamedQuery(name = WorkflowScheduleEntity.ADVANCE,
        query = "UPDATE WorkflowScheduleEntity s SET s.nextRunAt = :nextRunAt, s.lastFiredAt = :firedAt "
                + "WHERE s.workflowId = :workflowId")
@NamedQuery(name = WorkflowScheduleEntity.RECORD_ERROR,
        query = "UPDATE WorkflowScheduleEntity s SET s.lastError = :error, s.lastErrorAt = :at "
                + "WHERE s.workflowId = :workflowId")
@NamedQuery(name = WorkflowScheduleEntity.CLEAR_ERROR,
        query = "UPDATE WorkflowScheduleEntity s SET s.lastError = NULL, s.lastErrorAt = NULL "
                + "WHERE s.workflowId = :workflowId AND s.lastError IS NOT NULL")
@NamedQuery(name = WorkflowScheduleEntity.DELETE,
        query = "DELETE FROM WorkflowScheduleEntity s "
                + "WHERE s.workflowId = :workflowId AND s.workspaceId = :workspaceId")
public class WorkflowScheduleEntity {

    static final String FIND = "WorkflowSchedule.find";
    static final String ADVANCE = "WorkflowSchedule.advance";
    static final String DELETE = "WorkflowSchedule.delete";
    static final String RECORD_ERROR = "WorkflowSchedule.recordError";
    static final String CLEAR_ERROR = "WorkflowSchedule.clearError";

    @Id
    @Column(name = "workflow_id")
    private UUID workflowId;

    @Column(name = "workspace_id", nullable = false)
    private UUID workspaceId;

    @Column(nullable = false)
    private String cron;

    @Column(nullable = false)
    private String timezone;

    @Enumerated(EnumType.STRING)
    @Column(name = "missed_firing_policy", nullable = false)
    private MissedFiringPolicy missedFiringPolicy;

    @Column(nullable = false)
    private boolean paused;

    @Column(name = "next_run_at")
    private Instant nextRunAt;

    @Column(name = "last_fired_at")
    private Instant lastFiredAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "last_error")
    private String lastError;

    @Column(name = "last_error_at")
    private Instant lastErrorAt;

    protected WorkflowScheduleEntity() {
    }

    static Schedule toSchedule(Object[] row) {
        return new Schedule((UUID) row[0], (UUID) row[1], (String) row[2], (String) row[3],
                (MissedFiringPolicy) row[4], (Boolean) row[5], (Instant) row[6], (Instant) row[7], (String) row[8],
                (Instant) row[9]);
    }
}
