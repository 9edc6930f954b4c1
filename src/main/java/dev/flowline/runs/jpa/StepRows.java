package dev.flowline.runs.jpa;

import dev.flowline.platform.json.Jsons;
import dev.flowline.runs.StepRecord;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Steps as one JSON array that PostgreSQL turns back into rows ({@link #INSERT}, with {@code jsonb_to_recordset}):
 * any number of steps, of one run or of many, in one statement and one round trip, instead of an insert each.
 */
final class StepRows {

    /** Inserts the steps of the array bound as {@code ?1}. */
    static final String INSERT = """
            INSERT INTO workflow_run_steps (id, run_id, node_id, status, attempt, output, error, started_at, finished_at,
                                            input)
            SELECT s.id, s.run_id, s.node_id, s.status, s.attempt, s.output, s.error, s.started_at, s.finished_at,
                   s.input
            FROM jsonb_to_recordset(CAST(?1 AS jsonb)) AS s(""" + StepRows.COLUMNS + ")";

    /** The record type of one element, for {@code jsonb_to_recordset(...) AS s(...)}. */
    static final String COLUMNS = "id uuid, run_id uuid, node_id text, status text, attempt integer, output jsonb, "
            + "error text, started_at timestamptz, finished_at timestamptz, input jsonb";

    private StepRows() {
    }

    /** Adds {@code steps} of run {@code runId} to {@code rows}; each gets a new id. */
    static JsonArrayBuilder add(JsonArrayBuilder rows, UUID runId, List<StepRecord> steps) {
        for (StepRecord step : steps) {
            JsonObjectBuilder row = Jsons.createObjectBuilder()
                    .add("id", UUID.randomUUID().toString())
                    .add("run_id", runId.toString())
                    .add("node_id", step.nodeId())
                    .add("status", step.status().name())
                    .add("attempt", step.attempt())
                    .add("output", orNull(step.output()))
                    .add("input", orNull(step.input()))
                    .add("started_at", time(step.startedAt()));
            if (step.error() != null) {
                row.add("error", step.error());
            }
            if (step.finishedAt() != null) {
                row.add("finished_at", time(step.finishedAt()));
            }
            rows.add(row);
        }
        return rows;
    }

    static String of(UUID runId, List<StepRecord> steps) {
        return add(Jsons.createArrayBuilder(), runId, steps).build().toString();
    }

    private static JsonValue orNull(JsonObject value) {
        return value == null ? JsonValue.NULL : value;
    }

    /** Cut to PostgreSQL's microseconds here, as every other write does, rather than rounded by the server. */
    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).toString();
    }
}
