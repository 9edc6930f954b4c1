package dev.flowline.runs.jpa;

import dev.flowline.platform.persistence.JsonObjectConverter;
import dev.flowline.runs.RunStep;
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

/** A row of {@code workflow_run_steps}: one node in one attempt of a run. Inserted as an entity, read as projections. */
@Entity
@Table(name = "workflow_run_steps")
@NamedQuery(name = WorkflowRunStepEntity.LIST,
        query = "SELECT s.id, s.runId, s.nodeId, s.status, s.attempt, s.output, s.error, s.startedAt, s.finishedAt, s.input "
                + "FROM WorkflowRunStepEntity s WHERE s.runId = :runId ORDER BY s.startedAt, s.id")
@NamedQuery(name = WorkflowRunStepEntity.LIST_AFTER,
        query = "SELECT s.id, s.runId, s.nodeId, s.status, s.attempt, s.output, s.error, s.startedAt, s.finishedAt, s.input "
                + "FROM WorkflowRunStepEntity s WHERE s.runId = :runId "
                + "AND (s.startedAt > :at OR (s.startedAt = :at AND s.id > :id)) ORDER BY s.startedAt, s.id")
public class WorkflowRunStepEntity {

    static final String LIST = "WorkflowRunStep.list";
    static final String LIST_AFTER = "WorkflowRunStep.listAfter";

    @Id
    private UUID id;

    @Column(name = "run_id", nullable = false)
    private UUID runId;

    @Column(name = "node_id", nullable = false)
    private String nodeId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private RunStep.StepStatus status;

    @Column(nullable = false)
    private int attempt;

    @Convert(converter = JsonObjectConverter.class)
    @Column(columnDefinition = "jsonb")
    private JsonObject output;

    private String error;

    @Convert(converter = JsonObjectConverter.class)
    @Column(columnDefinition = "jsonb")
    private JsonObject input;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    protected WorkflowRunStepEntity() {
    }

    WorkflowRunStepEntity(UUID id, UUID runId, String nodeId, RunStep.StepStatus status, int attempt, JsonObject output,
                          String error, Instant startedAt, Instant finishedAt, JsonObject input) {
        this.id = id;
        this.runId = runId;
        this.nodeId = nodeId;
        this.status = status;
        this.attempt = attempt;
        this.output = output;
        this.error = error;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
        this.input = input;
    }

    RunStep toStep() {
        return new RunStep(id, runId, nodeId, status, attempt, output, error, startedAt, finishedAt, input);
    }

    static RunStep toStep(Object[] row) {
        return new RunStep((UUID) row[0], (UUID) row[1], (String) row[2], (RunStep.StepStatus) row[3],
                ((Number) row[4]).intValue(), (JsonObject) row[5], (String) row[6], (Instant) row[7], (Instant) row[8],
                (JsonObject) row[9]);
    }
}
