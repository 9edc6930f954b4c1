package dev.flowline.runs.jpa;

import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.runs.ErrorRunRepository;
import dev.flowline.runs.ErrorRunRequest;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link ErrorRunRepository} on PostgreSQL. The rows are inserted by the trigger {@code
 * tr_dead_letters_error_run_request} (migration 0032) in the statement that inserts the dead letter; here they are
 * taken, one at a time, from the partial index {@code ix_error_run_requests_pending}.
 */
@Stateless
public class JpaErrorRunRepository implements ErrorRunRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public Optional<ErrorRunRequest> lockNextPending() {
        List<?> rows = em.createNativeQuery("""
                        SELECT q.id, q.workspace_id, q.run_id, q.workflow_id, w.name, q.error_workflow_id,
                               q.failed_node_id, q.error, q.attempt, q.created_at
                        FROM error_run_requests q JOIN workflows w ON w.id = q.workflow_id
                        WHERE q.handled_at IS NULL
                        ORDER BY q.created_at
                        LIMIT 1
                        FOR UPDATE OF q SKIP LOCKED""")
                .getResultList();
        return rows.stream().findFirst().map(JpaErrorRunRepository::request);
    }

    private static ErrorRunRequest request(Object column) {
        Object[] row = (Object[]) column;
        return new ErrorRunRequest((UUID) row[0], (UUID) row[1], (UUID) row[2], (UUID) row[3], (String) row[4],
                (UUID) row[5], (String) row[6], (String) row[7], ((Number) row[8]).intValue(),
                SqlTimestamps.toInstant(row[9]));
    }

    @Override
    public void markStarted(UUID requestId, UUID errorRunId, Instant now) {
        handle(requestId, now, "outcome = 'STARTED', error_run_id = ?3", errorRunId);
    }

    @Override
    public void markRefused(UUID requestId, String reason, Instant now) {
        handle(requestId, now, "outcome = 'REFUSED', refusal = ?3", reason);
    }

    private void handle(UUID requestId, Instant now, String set, Object third) {
        em.createNativeQuery("UPDATE error_run_requests SET handled_at = ?2, " + set
                        + " WHERE id = ?1 AND handled_at IS NULL")
                .setParameter(1, requestId)
                .setParameter(2, SqlTimestamps.of(now))
                .setParameter(3, third)
                .executeUpdate();
    }

    @Override
    public Optional<ErrorRunOutcome> outcomeFor(UUID runId) {
        List<?> rows = em.createNativeQuery(
                        "SELECT id, outcome, error_run_id, refusal FROM error_run_requests WHERE run_id = ?1")
                .setParameter(1, runId)
                .getResultList();
        return rows.stream().findFirst().map(column -> {
            Object[] row = (Object[]) column;
            return new ErrorRunOutcome((UUID) row[0], (String) row[1], (UUID) row[2], (String) row[3]);
        });
    }
}
