package dev.flowline.runs.jpa;

import dev.flowline.runs.DeadLetter;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code dead_letters}: a run whose retries are exhausted. Inserted as an entity in the same transaction
 * that moves the run to DEAD_LETTERED; listed newest first by (created_at, id).
 */
@Entity
@Table(name = "dead_letters")
@NamedQuery(name = DeadLetterEntity.FIND,
        query = "SELECT " + DeadLetterEntity.COLUMNS + " FROM DeadLetterEntity d "
                + "WHERE d.id = :id AND d.workspaceId = :workspaceId")
@NamedQuery(name = DeadLetterEntity.LIST,
        query = "SELECT " + DeadLetterEntity.COLUMNS + " FROM DeadLetterEntity d "
                + "WHERE d.workspaceId = :workspaceId ORDER BY d.createdAt DESC, d.id DESC")
@NamedQuery(name = DeadLetterEntity.LIST_BEFORE,
        query = "SELECT " + DeadLetterEntity.COLUMNS + " FROM DeadLetterEntity d "
                + "WHERE d.workspaceId = :workspaceId AND d.createdAt <= :at "
                + "AND (d.createdAt < :at OR (d.createdAt = :at AND d.id < :id)) "
                + "ORDER BY d.createdAt DESC, d.id DESC")
@NamedQuery(name = DeadLetterEntity.DELETE,
        query = "DELETE FROM DeadLetterEntity d WHERE d.id = :id AND d.workspaceId = :workspaceId")
public class DeadLetterEntity {

    static final String FIND = "DeadLetter.find";
    static final String LIST = "DeadLetter.list";
    static final String LIST_BEFORE = "DeadLetter.listBefore";
    static final String DELETE = "DeadLetter.delete";

    /** The select list that {@link #toDeadLetter(Object[])} reads, for the alias {@code d}. */
    static final String COLUMNS = "d.id, d.workspaceId, d.workflowId, d.runId, d.error, d.lastNodeId, d.attempts, "
            + "d.createdAt";

    @Id
    private UUID id;

    @Column(name = "workspace_id", nullable = false)
    private UUID workspaceId;

    @Column(name = "workflow_id", nullable = false)
    private UUID workflowId;

    @Column(name = "run_id", nullable = false)
    private UUID runId;

    private String error;

    @Column(name = "last_node_id")
    private String lastNodeId;

    @Column(nullable = false)
    private int attempts;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected DeadLetterEntity() {
    }

    DeadLetterEntity(UUID id, UUID workspaceId, UUID workflowId, UUID runId, String error, String lastNodeId,
                     int attempts, Instant createdAt) {
        this.id = id;
        this.workspaceId = workspaceId;
        this.workflowId = workflowId;
        this.runId = runId;
        this.error = error;
        this.lastNodeId = lastNodeId;
        this.attempts = attempts;
        this.createdAt = createdAt;
    }

    DeadLetter toDeadLetter() {
        return new DeadLetter(id, workspaceId, workflowId, runId, error, lastNodeId, attempts, createdAt);
    }

    static DeadLetter toDeadLetter(Object[] row) {
        return new DeadLetter((UUID) row[0], (UUID) row[1], (UUID) row[2], (UUID) row[3], (String) row[4],
                (String) row[5], ((Number) row[6]).intValue(), (Instant) row[7]);
    }
}
