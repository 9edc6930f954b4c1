package dev.flowline.runs.jpa;

import dev.flowline.platform.json.Jsons;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.runs.RunResume;
import dev.flowline.runs.RunResumeRepository;
import jakarta.ejb.Stateless;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link RunResumeRepository} on PostgreSQL ({@code run_resumes}, migration 0034). The guard is in the insert itself:
 * the run's status and its pinned version's definition are read by the statement that inserts, and the primary key
 * makes the first recording the only one.
 */
@Stateless
public class JpaRunResumeRepository implements RunResumeRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public boolean record(UUID runId, String nodeId, RunResume.Outcome outcome, JsonValue body, Instant at) {
        return em.createNativeQuery("""
                        INSERT INTO run_resumes (run_id, node_id, outcome, body, at)
                        SELECT r.id, ?2, ?3, CAST(NULLIF(?4, '') AS jsonb), ?5
                        FROM workflow_runs r
                        JOIN workflow_versions v ON v.workflow_id = r.workflow_id AND v.number = r.workflow_version
                        WHERE r.id = ?1 AND r.status IN ('QUEUED', 'RUNNING')
                          AND EXISTS (SELECT 1 FROM jsonb_array_elements(v.definition -> 'nodes') n
                                      WHERE n ->> 'id' = ?2 AND n ->> 'type' = 'flow.wait')
                        ON CONFLICT (run_id, node_id) DO NOTHING""")
                .setParameter(1, runId)
                .setParameter(2, nodeId)
                .setParameter(3, outcome.name())
                .setParameter(4, body == null ? "" : body.toString()) // "": SQL NULL, a typed bind
                .setParameter(5, SqlTimestamps.of(at))
                .executeUpdate() == 1;
    }

    @Override
    public Optional<RunResume> find(UUID runId, String nodeId) {
        List<?> rows = em.createNativeQuery(
                        "SELECT outcome, CAST(body AS text), at FROM run_resumes WHERE run_id = ?1 AND node_id = ?2")
                .setParameter(1, runId)
                .setParameter(2, nodeId)
                .getResultList();
        return rows.stream().findFirst().map(column -> {
            Object[] row = (Object[]) column;
            return new RunResume(nodeId, RunResume.Outcome.valueOf((String) row[0]), json((String) row[1]),
                    SqlTimestamps.toInstant(row[2]));
        });
    }

    private static JsonValue json(String text) {
        if (text == null) {
            return null;
        }
        try (JsonReader reader = Jsons.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }
}
