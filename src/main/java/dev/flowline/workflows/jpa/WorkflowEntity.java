package dev.flowline.workflows.jpa;

import dev.flowline.platform.persistence.NullableUuidConverter;
import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.Workflow;
import dev.flowline.workflows.WorkflowSettings;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code workflows}. Only inserted as an entity; reads are projections ({@link #COLUMNS}) and changes are
 * guarded bulk updates that set {@code version} themselves (EclipseLink would otherwise add
 * {@code version = version + 1} on its own). {@code currentVersion} numbers the row of {@code workflow_versions}
 * that new runs use.
 */
@Entity
@Table(name = "workflows")
@NamedQuery(name = WorkflowEntity.FIND,
        query = "SELECT " + WorkflowEntity.COLUMNS + " FROM WorkflowEntity w "
                + "WHERE w.id = :id AND w.workspaceId = :workspaceId")
@NamedQuery(name = WorkflowEntity.LIST,
        query = "SELECT " + WorkflowEntity.COLUMNS + " FROM WorkflowEntity w "
                + "WHERE w.workspaceId = :workspaceId ORDER BY w.createdAt, w.id")
@NamedQuery(name = WorkflowEntity.LIST_AFTER,
        query = "SELECT " + WorkflowEntity.COLUMNS + " FROM WorkflowEntity w "
                + "WHERE w.workspaceId = :workspaceId "
                + "AND (w.createdAt > :at OR (w.createdAt = :at AND w.id > :id)) ORDER BY w.createdAt, w.id")
@NamedQuery(name = WorkflowEntity.FIND_CURRENT_DEFINITION,
        query = "SELECT w.version, w.currentVersion, v.definition FROM WorkflowEntity w, WorkflowVersionEntity v "
                + "WHERE w.id = :id AND w.workspaceId = :workspaceId "
                + "AND v.workflowId = w.id AND v.number = w.currentVersion")
@NamedQuery(name = WorkflowEntity.UPDATE_SETTINGS,
        query = "UPDATE WorkflowEntity w SET w.name = :name, w.description = :description, w.enabled = :enabled, "
                + "w.triggerType = :triggerType, w.concurrencyLimit = :concurrencyLimit, "
                + "w.retryMaxAttempts = :retryMaxAttempts, w.retryBackoff = :retryBackoff, "
                + "w.retryInitialDelaySeconds = :retryInitialDelaySeconds, "
                + "w.retryMaxDelaySeconds = :retryMaxDelaySeconds, w.errorWorkflowId = :errorWorkflowId, "
                + "w.currentVersion = :currentVersion, "
                + "w.updatedAt = :now, w.version = w.version + 1 "
                + "WHERE w.id = :id AND w.workspaceId = :workspaceId AND w.version = :version")
@NamedQuery(name = WorkflowEntity.NEXT_VERSION,
        query = "UPDATE WorkflowEntity w SET w.currentVersion = w.currentVersion + 1, w.triggerType = :triggerType, "
                + "w.updatedAt = :now, w.version = w.version + 1 WHERE w.id = :id AND w.workspaceId = :workspaceId")
@NamedQuery(name = WorkflowEntity.NEXT_VERSION_AT_VERSION,
        query = "UPDATE WorkflowEntity w SET w.currentVersion = w.currentVersion + 1, w.triggerType = :triggerType, "
                + "w.updatedAt = :now, w.version = w.version + 1 WHERE w.id = :id AND w.workspaceId = :workspaceId "
                + "AND w.version = :version")
@NamedQuery(name = WorkflowEntity.DELETE,
        query = "DELETE FROM WorkflowEntity w WHERE w.id = :id AND w.workspaceId = :workspaceId")
public class WorkflowEntity {

    static final String FIND = "Workflow.find";
    static final String LIST = "Workflow.list";
    static final String LIST_AFTER = "Workflow.listAfter";
    static final String FIND_CURRENT_DEFINITION = "Workflow.findCurrentDefinition";
    static final String UPDATE_SETTINGS = "Workflow.updateSettings";
    static final String NEXT_VERSION = "Workflow.nextVersion";
    static final String NEXT_VERSION_AT_VERSION = "Workflow.nextVersionAtVersion";
    static final String DELETE = "Workflow.delete";

    /** The select list that {@link #toWorkflow(Object[])} reads, for the alias {@code w}. */
    static final String COLUMNS = "w.id, w.workspaceId, w.name, w.description, w.enabled, w.triggerType, "
            + "w.currentVersion, w.concurrencyLimit, w.retryMaxAttempts, w.retryBackoff, w.retryInitialDelaySeconds, "
            + "w.retryMaxDelaySeconds, w.createdAt, w.updatedAt, w.version, w.errorWorkflowId";

    @Id
    private UUID id;

    @Column(name = "workspace_id", nullable = false, updatable = false)
    private UUID workspaceId;

    @Column(nullable = false)
    private String name;

    private String description;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "trigger_type", nullable = false)
    private String triggerType;

    @Column(name = "current_version", nullable = false)
    private int currentVersion;

    @Column(name = "concurrency_limit", nullable = false)
    private int concurrencyLimit;

    @Column(name = "retry_max_attempts", nullable = false)
    private int retryMaxAttempts;

    @Enumerated(EnumType.STRING)
    @Column(name = "retry_backoff", nullable = false)
    private RetryPolicy.Backoff retryBackoff;

    @Column(name = "retry_initial_delay_seconds", nullable = false)
    private int retryInitialDelaySeconds;

    @Column(name = "retry_max_delay_seconds", nullable = false)
    private int retryMaxDelaySeconds;

    /** Another workflow of the workspace (checked by the service); the schema clears it when that one is deleted. */
    @Convert(converter = NullableUuidConverter.class)
    @Column(name = "error_workflow_id")
    private UUID errorWorkflowId;

    @Convert(converter = NullableUuidConverter.class)
    @Column(name = "created_by", updatable = false)
    private UUID createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected WorkflowEntity() {
    }

    WorkflowEntity(UUID id, UUID workspaceId, WorkflowSettings settings, UUID createdBy, Instant now) {
        RetryPolicy retry = settings.retryPolicy() == null ? RetryPolicy.DEFAULT : settings.retryPolicy();
        this.id = id;
        this.workspaceId = workspaceId;
        this.name = settings.name();
        this.description = settings.description();
        this.enabled = settings.enabled();
        this.triggerType = settings.triggerType();
        this.currentVersion = 1;
        this.concurrencyLimit = settings.concurrencyLimit();
        this.retryMaxAttempts = retry.maxAttempts();
        this.retryBackoff = retry.backoff();
        this.retryInitialDelaySeconds = retry.initialDelaySeconds();
        this.retryMaxDelaySeconds = retry.maxDelaySeconds();
        this.errorWorkflowId = settings.errorWorkflowId();
        this.createdBy = createdBy;
        this.createdAt = now;
        this.updatedAt = now;
    }

    Workflow toWorkflow() {
        return new Workflow(id, workspaceId, name, description, enabled, triggerType, currentVersion, concurrencyLimit,
                new RetryPolicy(retryMaxAttempts, retryBackoff, retryInitialDelaySeconds, retryMaxDelaySeconds),
                errorWorkflowId, createdAt, updatedAt, version);
    }

    /** A workflow from {@link #COLUMNS}. */
    static Workflow toWorkflow(Object[] row) {
        return new Workflow((UUID) row[0], (UUID) row[1], (String) row[2], (String) row[3], (Boolean) row[4],
                (String) row[5], ((Number) row[6]).intValue(), ((Number) row[7]).intValue(),
                new RetryPolicy(((Number) row[8]).intValue(), (RetryPolicy.Backoff) row[9],
                        ((Number) row[10]).intValue(), ((Number) row[11]).intValue()),
                (UUID) row[15], (Instant) row[12], (Instant) row[13], ((Number) row[14]).longValue());
    }
}
