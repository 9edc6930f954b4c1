package dev.flowline.workflows.jpa;

import dev.flowline.platform.persistence.JsonObjectConverter;
import dev.flowline.platform.persistence.NullableUuidConverter;
import dev.flowline.workflows.WorkflowVersion;
import jakarta.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A row of {@code workflow_versions}: an immutable, numbered definition, keyed by (workflow, number). Insert-only. */
@Entity
@Table(name = "workflow_versions")
@IdClass(WorkflowVersionEntity.Key.class)
@NamedQuery(name = WorkflowVersionEntity.FIND,
        query = "SELECT " + WorkflowVersionEntity.COLUMNS + " FROM WorkflowVersionEntity v "
                + "WHERE v.workflowId = :workflowId AND v.number = :number")
@NamedQuery(name = WorkflowVersionEntity.LIST,
        query = "SELECT " + WorkflowVersionEntity.COLUMNS + " FROM WorkflowVersionEntity v "
                + "WHERE v.workflowId = :workflowId ORDER BY v.number DESC")
@NamedQuery(name = WorkflowVersionEntity.LIST_BEFORE,
        query = "SELECT " + WorkflowVersionEntity.COLUMNS + " FROM WorkflowVersionEntity v "
                + "WHERE v.workflowId = :workflowId AND v.number < :before ORDER BY v.number DESC")
@NamedQuery(name = WorkflowVersionEntity.FIND_DEFINITION_IN_WORKSPACE,
        query = "SELECT v.definition FROM WorkflowVersionEntity v, WorkflowEntity w "
                + "WHERE w.id = :workflowId AND w.workspaceId = :workspaceId "
                + "AND v.workflowId = w.id AND v.number = :number")
public class WorkflowVersionEntity {

    static final String FIND = "WorkflowVersion.find";
    static final String LIST = "WorkflowVersion.list";
    static final String LIST_BEFORE = "WorkflowVersion.listBefore";
    static final String FIND_DEFINITION_IN_WORKSPACE = "WorkflowVersion.findDefinitionInWorkspace";

    /** The select list that {@link #toVersion(Object[])} reads, for the alias {@code v}. */
    static final String COLUMNS = "v.workflowId, v.number, v.definition, v.createdBy, v.createdAt";

    @Id
    @Column(name = "workflow_id")
    private UUID workflowId;

    @Id
    @Column(name = "number")
    private int number;

    @Convert(converter = JsonObjectConverter.class)
    @Column(columnDefinition = "jsonb", nullable = false)
    private JsonObject definition;

    @Convert(converter = NullableUuidConverter.class)
    @Column(name = "created_by")
    private UUID createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected WorkflowVersionEntity() {
    }

    WorkflowVersionEntity(UUID workflowId, int number, JsonObject definition, UUID createdBy, Instant createdAt) {
        this.workflowId = workflowId;
        this.number = number;
        this.definition = definition;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    WorkflowVersion toVersion() {
        return new WorkflowVersion(workflowId, number, definition, createdBy, createdAt);
    }

    static WorkflowVersion toVersion(Object[] row) {
        return new WorkflowVersion((UUID) row[0], ((Number) row[1]).intValue(), (JsonObject) row[2], (UUID) row[3],
                (Instant) row[4]);
    }

    /** The composite primary key (workflow_id, number). */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        private UUID workflowId;
        private int number;

        public Key() {
        }

        public Key(UUID workflowId, int number) {
            this.workflowId = workflowId;
            this.number = number;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(workflowId, key.workflowId) && number == key.number;
        }

        @Override
        public int hashCode() {
            return Objects.hash(workflowId, number);
        }
    }
}
