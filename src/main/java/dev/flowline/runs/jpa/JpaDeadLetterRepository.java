package dev.flowline.runs.jpa;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.KeysetParameters;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.runs.DeadLetter;
import dev.flowline.runs.DeadLetterRepository;
import dev.flowline.runs.RunStatus;
import dev.flowline.runs.WorkflowRun;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@link DeadLetterRepository} on PostgreSQL. Filing a dead letter moves its run to DEAD_LETTERED in the same
 * transaction; a requeue locks the letter ({@code SELECT ... FOR UPDATE}) so two requeues cannot both start a run.
 */
@Stateless
public class JpaDeadLetterRepository implements DeadLetterRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    /**
     * {@inheritDoc} Attempts recorded are the run's attempt, at least 1. An unknown run is an
     * {@link IllegalArgumentException}; a run that already has a dead letter fails on {@code uk_dead_letters_run_id}
     * and the whole transaction (the status change included) rolls back.
     */
    @Override
    public DeadLetter deadLetter(UUID runId, String error, String lastNodeId, Instant now) {
        int updated = em.createNamedQuery(WorkflowRunEntity.DEAD_LETTER)
                .setParameter("deadLettered", RunStatus.DEAD_LETTERED)
                .setParameter("now", now)
                .setParameter("error", error)
                .setParameter("id", runId)
                .executeUpdate();
        if (updated != 1) {
            throw new IllegalArgumentException("No run " + runId);
        }
        WorkflowRun run = em.createNamedQuery(WorkflowRunEntity.FIND_BY_ID, Object[].class)
                .setParameter("id", runId)
                .getResultStream()
                .findFirst()
                .map(WorkflowRunEntity::toRun).orElseThrow();
        DeadLetterEntity deadLetter = new DeadLetterEntity(UUID.randomUUID(), run.workspaceId(), run.workflowId(),
                runId, error, lastNodeId, Math.max(1, run.attempt()), now);
        em.persist(deadLetter);
        em.flush();
        return deadLetter.toDeadLetter();
    }

    @Override
    public List<DeadLetter> listDeadLetters(UUID workspaceId, Keyset before, int limit) {
        TypedQuery<Object[]> query = before == null
                ? em.createNamedQuery(DeadLetterEntity.LIST, Object[].class)
                : KeysetParameters.bind(em.createNamedQuery(DeadLetterEntity.LIST_BEFORE, Object[].class), before);
        return query.setParameter("workspaceId", workspaceId)
                .setMaxResults(limit + 1)
                .getResultStream()
                .map(DeadLetterEntity::toDeadLetter)
                .toList();
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public Optional<DeadLetter> lockDeadLetter(UUID workspaceId, UUID deadLetterId) {
        List<?> rows = em.createNativeQuery("""
                        SELECT id, workspace_id, workflow_id, run_id, error, last_node_id, attempts, created_at
                        FROM dead_letters WHERE id = ?1 AND workspace_id = ?2
                        FOR UPDATE""")
                .setParameter(1, deadLetterId)
                .setParameter(2, workspaceId)
                .getResultList();
        return rows.stream().map(Object[].class::cast).map(JpaDeadLetterRepository::deadLetterOf).findFirst();
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public List<DeadLetter> lockDeadLetters(UUID workspaceId, Collection<UUID> deadLetterIds) {
        // The sort sits below the row locks in the plan: rows are locked one by one in id order. The ids go as one
        // uuid[] literal (at most a bulk requeue's 100).
        List<?> rows = em.createNativeQuery("""
                        SELECT id, workspace_id, workflow_id, run_id, error, last_node_id, attempts, created_at
                        FROM dead_letters WHERE workspace_id = ?1 AND id = ANY (CAST(?2 AS uuid[]))
                        ORDER BY id
                        FOR UPDATE""")
                .setParameter(1, workspaceId)
                .setParameter(2, deadLetterIds.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}")))
                .getResultList();
        return rows.stream().map(Object[].class::cast).map(JpaDeadLetterRepository::deadLetterOf).toList();
    }

    private static DeadLetter deadLetterOf(Object[] row) {
        return new DeadLetter((UUID) row[0], (UUID) row[1], (UUID) row[2], (UUID) row[3], (String) row[4],
                (String) row[5], ((Number) row[6]).intValue(), SqlTimestamps.toInstant(row[7]));
    }

    @Override
    public Optional<DeadLetter> findDeadLetter(UUID workspaceId, UUID deadLetterId) {
        return em.createNamedQuery(DeadLetterEntity.FIND, Object[].class)
                .setParameter("id", deadLetterId)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .findFirst()
                .map(DeadLetterEntity::toDeadLetter);
    }

    @Override
    public boolean deleteDeadLetter(UUID workspaceId, UUID deadLetterId) {
        return em.createNamedQuery(DeadLetterEntity.DELETE)
                .setParameter("id", deadLetterId)
                .setParameter("workspaceId", workspaceId)
                .executeUpdate() == 1;
    }
}
