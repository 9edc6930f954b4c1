package dev.flowline.runs.jpa;

import dev.flowline.platform.persistence.JsonObjectConverter;
import dev.flowline.platform.persistence.NullableUuidConverter;
import dev.flowline.runs.RunStatus;
import dev.flowline.runs.RunTrigger;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.workspaces.RunConsumption;
import jakarta.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code workflow_runs}. Never persisted as an entity: runs are inserted by a native
 * {@code INSERT ... ON CONFLICT DO NOTHING} (the partial unique indexes make idempotency keys, schedule firings and
 * webhook delivery ids each produce one run), read as projections ({@link #COLUMNS}) and changed by guarded bulk
 * updates. The list query is built per present filter in {@link JpaWorkflowRepository#listRuns}.
 */
@Entity
@Table(name = "workflow_runs")
@NamedQuery(name = WorkflowRunEntity.FIND,
        query = "SELECT " + WorkflowRunEntity.COLUMNS + " FROM WorkflowRunEntity r "
                + "WHERE r.id = :id AND r.workspaceId = :workspaceId")
@NamedQuery(name = WorkflowRunEntity.FIND_BY_ID,
        query = "SELECT " + WorkflowRunEntity.COLUMNS + " FROM WorkflowRunEntity r WHERE r.id = :id")
@NamedQuery(name = WorkflowRunEntity.FIND_CHILDREN,
        query = "SELECT r.itemIndex, r.id, r.status, r.error, r.queuedAt FROM WorkflowRunEntity r "
                + "WHERE r.parentRunId = :parentRunId AND r.parentNodeId = :nodeId AND r.parentAttempt = :attempt "
                + "ORDER BY r.itemIndex")
@NamedQuery(name = WorkflowRunEntity.FIND_CHILD_OUTPUTS,
        query = "SELECT r.itemIndex, r.output FROM WorkflowRunEntity r "
                + "WHERE r.parentRunId = :parentRunId AND r.parentNodeId = :nodeId AND r.parentAttempt = :attempt "
                + "AND r.status = dev.flowline.runs.RunStatus.SUCCEEDED")
@NamedQuery(name = WorkflowRunEntity.FIND_CHILD,
        query = "SELECT " + WorkflowRunEntity.COLUMNS + " FROM WorkflowRunEntity r "
                + "WHERE r.parentRunId = :parentRunId AND r.parentNodeId = :nodeId AND r.parentAttempt = :attempt "
                + "AND r.itemIndex = :itemIndex")
@NamedQuery(name = WorkflowRunEntity.CANCEL_QUEUED,
        query = "UPDATE WorkflowRunEntity r SET r.status = :canceled, r.finishedAt = :now "
                + "WHERE r.id = :id AND r.workspaceId = :workspaceId "
                + "AND r.status = dev.flowline.runs.RunStatus.QUEUED")
@NamedQuery(name = WorkflowRunEntity.REQUEST_CANCEL,
        query = "UPDATE WorkflowRunEntity r SET r.cancelRequested = TRUE "
                + "WHERE r.id = :id AND r.workspaceId = :workspaceId "
                + "AND r.status = dev.flowline.runs.RunStatus.RUNNING")
@NamedQuery(name = WorkflowRunEntity.DEAD_LETTER,
        query = "UPDATE WorkflowRunEntity r SET r.status = :deadLettered, r.finishedAt = :now, r.error = :error "
                + "WHERE r.id = :id")
public class WorkflowRunEntity {

    static final String FIND = "WorkflowRun.find";
    static final String FIND_BY_ID = "WorkflowRun.findById";
    static final String FIND_CHILDREN = "WorkflowRun.findChildren";
    static final String FIND_CHILD = "WorkflowRun.findChild";
    static final String FIND_CHILD_OUTPUTS = "WorkflowRun.findChildOutputs";
    static final String CANCEL_QUEUED = "WorkflowRun.cancelQueued";
    static final String REQUEST_CANCEL = "WorkflowRun.requestCancel";
    static final String DEAD_LETTER = "WorkflowRun.deadLetter";

    /** The select list that {@link #toRun(Object[])} reads, for the alias {@code r}: the record's components in order. */
    static final String COLUMNS = "r.id, r.workspaceId, r.workflowId, r.workflowVersion, r.status, r.trigger, "
            + "r.input, r.output, r.error, r.attempt, r.idempotencyKey, r.scheduledFor, r.webhookDeliveryId, "
            + "r.rerunOf, r.cancelRequested, r.queuedAt, r.startedAt, r.finishedAt, r.nextAttemptAt, r.leasedBy, "
            + "r.leaseExpiresAt, r.parentRunId";

    @Id
    private UUID id;

    @Column(name = "workspace_id", nullable = false)
    private UUID workspaceId;

    @Column(name = "workflow_id", nullable = false)
    private UUID workflowId;

    @Column(name = "workflow_version", nullable = false)
    private int workflowVersion;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private RunStatus status;

    @Enumerated(EnumType.STRING)
    @Column(name = "trigger", nullable = false)
    private RunTrigger trigger;

    @Convert(converter = JsonObjectConverter.class)
    @Column(columnDefinition = "jsonb", nullable = false)
    private JsonObject input;

    @Convert(converter = JsonObjectConverter.class)
    @Column(columnDefinition = "jsonb")
    private JsonObject output;

    private String error;

    @Column(nullable = false)
    private int attempt;

    @Column(name = "idempotency_key")
    private String idempotencyKey;

    @Column(name = "scheduled_for")
    private Instant scheduledFor;

    @Column(name = "webhook_delivery_id")
    private String webhookDeliveryId;

    @Column(name = "webhook_request_hash")
    private String webhookRequestHash;

    @Convert(converter = NullableUuidConverter.class)
    @Column(name = "rerun_of")
    private UUID rerunOf;

    @Column(name = "quota_period_start")
    private Instant quotaPeriodStart;

    @Enumerated(EnumType.STRING)
    @Column(name = "quota_kind")
    private RunConsumption quotaKind;

    @Column(name = "cancel_requested", nullable = false)
    private boolean cancelRequested;

    @Column(name = "queued_at", nullable = false)
    private Instant queuedAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "next_attempt_at")
    private Instant nextAttemptAt;

    @Column(name = "leased_by")
    private String leasedBy;

    @Column(name = "lease_expires_at")
    private Instant leaseExpiresAt;

    @Convert(converter = NullableUuidConverter.class)
    @Column(name = "created_by")
    private UUID createdBy;

    @Convert(converter = NullableUuidConverter.class)
    @Column(name = "parent_run_id")
    private UUID parentRunId;

    @Column(name = "parent_node_id")
    private String parentNodeId;

    @Column(name = "parent_attempt")
    private Integer parentAttempt;

    @Column(name = "item_index")
    private Integer itemIndex;

    @Column(name = "call_depth", nullable = false)
    private int callDepth;

    protected WorkflowRunEntity() {
    }

    /** A run from {@link #COLUMNS}. */
    static WorkflowRun toRun(Object[] row) {
        return new WorkflowRun((UUID) row[0], (UUID) row[1], (UUID) row[2], ((Number) row[3]).intValue(),
                (RunStatus) row[4], (RunTrigger) row[5], (JsonObject) row[6], (JsonObject) row[7], (String) row[8],
                ((Number) row[9]).intValue(), (String) row[10], (Instant) row[11], (String) row[12], (UUID) row[13],
                (Boolean) row[14], (Instant) row[15], (Instant) row[16], (Instant) row[17], (Instant) row[18],
                (String) row[19], (Instant) row[20], (UUID) row[21]);
    }
}
