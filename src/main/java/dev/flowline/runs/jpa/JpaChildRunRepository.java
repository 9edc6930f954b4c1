package dev.flowline.runs.jpa;

import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.runs.ChildOf;
import dev.flowline.runs.ChildRunRepository;
import dev.flowline.runs.RunStatus;
import dev.flowline.runs.TakenUnit;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.workspaces.RunConsumption;
import jakarta.ejb.Stateless;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link ChildRunRepository} on PostgreSQL: JPQL for the reads by key (served by {@code ix_workflow_runs_parent}),
 * recursive native SQL for the walks up (the call chain) and down (the cancel cascade); covered by EngineIT.
 */
@Stateless
public class JpaChildRunRepository implements ChildRunRepository {

    /** Bounds the walk up; far above flowline.engine.max-call-depth, so it only guards against bad data. */
    private static final int MAX_CHAIN = 256;

    /** The unfinished runs below ?1 in workspace ?2, at any depth (UNION: a row reached twice is walked once). */
    private static final String DESCENDANTS = """
            WITH RECURSIVE tree(id) AS (
                SELECT c.id FROM workflow_runs c WHERE c.parent_run_id = ?1 AND c.workspace_id = ?2
                UNION
                SELECT c.id FROM workflow_runs c JOIN tree t ON c.parent_run_id = t.id)
            """;

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public Optional<WorkflowRun> findChild(ChildOf child) {
        return em.createNamedQuery(WorkflowRunEntity.FIND_CHILD, Object[].class)
                .setParameter("parentRunId", child.parentRunId())
                .setParameter("nodeId", child.parentNodeId())
                .setParameter("attempt", child.parentAttempt())
                .setParameter("itemIndex", child.itemIndex())
                .getResultStream()
                .findFirst()
                .map(WorkflowRunEntity::toRun);
    }

    @Override
    public List<ChildRun> listChildren(UUID parentRunId, String nodeId, int parentAttempt) {
        return em.createNamedQuery(WorkflowRunEntity.FIND_CHILDREN, Object[].class)
                .setParameter("parentRunId", parentRunId)
                .setParameter("nodeId", nodeId)
                .setParameter("attempt", parentAttempt)
                .getResultStream()
                .map(row -> new ChildRun(((Number) row[0]).intValue(), (UUID) row[1], (RunStatus) row[2],
                        (String) row[3], (Instant) row[4]))
                .toList();
    }

    @Override
    public Map<Integer, JsonObject> childOutputs(UUID parentRunId, String nodeId, int parentAttempt) {
        Map<Integer, JsonObject> outputs = new HashMap<>();
        em.createNamedQuery(WorkflowRunEntity.FIND_CHILD_OUTPUTS, Object[].class)
                .setParameter("parentRunId", parentRunId)
                .setParameter("nodeId", nodeId)
                .setParameter("attempt", parentAttempt)
                .getResultStream()
                .forEach(row -> outputs.put(((Number) row[0]).intValue(),
                        row[1] == null ? JsonValue.EMPTY_JSON_OBJECT : (JsonObject) row[1]));
        return outputs;
    }

    @Override
    public CallChain callChain(UUID runId) {
        List<?> rows = em.createNativeQuery("""
                        WITH RECURSIVE chain(parent_run_id, workflow_id, call_depth, hops) AS (
                            SELECT r.parent_run_id, r.workflow_id, r.call_depth, 0 FROM workflow_runs r WHERE r.id = ?1
                            UNION ALL
                            SELECT r.parent_run_id, r.workflow_id, r.call_depth, c.hops + 1
                            FROM workflow_runs r JOIN chain c ON r.id = c.parent_run_id
                            WHERE c.hops < ?2)
                        SELECT workflow_id, call_depth FROM chain ORDER BY hops""")
                .setParameter(1, runId)
                .setParameter(2, MAX_CHAIN)
                .getResultList();
        List<UUID> workflows = new ArrayList<>();
        int depth = 0;
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            if (workflows.isEmpty()) {
                depth = ((Number) columns[1]).intValue();
            }
            workflows.add((UUID) columns[0]);
        }
        return new CallChain(depth, List.copyOf(workflows));
    }

    @Override
    public int failedSteps(UUID runId, String nodeId) {
        // ix_workflow_run_steps_run_id narrows to the run's steps
        Object count = em.createNativeQuery("""
                        SELECT count(*) FROM workflow_run_steps
                        WHERE run_id = ?1 AND node_id = ?2 AND status = 'FAILED'""")
                .setParameter(1, runId)
                .setParameter(2, nodeId)
                .getSingleResult();
        return ((Number) count).intValue();
    }

    /**
     * {@inheritDoc} The rows are first locked deepest first: a child that ends locks its own row and then its
     * parent's (the wake-up trigger of migration 0035), so locking bottom-up too means the two never wait for each
     * other in a circle. Then one statement cancels the queued ones and flags the running ones.
     */
    @Override
    public List<TakenUnit> cancelDescendants(UUID workspaceId, UUID runId, Instant now) {
        List<?> locked = em.createNativeQuery(DESCENDANTS + """
                        SELECT r.id FROM workflow_runs r
                        WHERE r.id IN (SELECT id FROM tree) AND r.status IN ('QUEUED', 'RUNNING')
                        ORDER BY r.call_depth DESC, r.id
                        FOR UPDATE OF r""")
                .setParameter(1, runId)
                .setParameter(2, workspaceId)
                .getResultList();
        if (locked.isEmpty()) {
            return List.of();
        }
        List<?> rows = em.createNativeQuery(DESCENDANTS + """
                        , queued AS (
                            UPDATE workflow_runs r SET status = 'CANCELED', finished_at = ?3
                            FROM tree t WHERE r.id = t.id AND r.status = 'QUEUED'
                            RETURNING r.quota_period_start, r.quota_kind, r.started_at),
                        running AS (
                            UPDATE workflow_runs r SET cancel_requested = true
                            FROM tree t WHERE r.id = t.id AND r.status = 'RUNNING'
                            RETURNING r.id)
                        SELECT q.quota_period_start, q.quota_kind FROM queued q
                        WHERE q.started_at IS NULL AND q.quota_period_start IS NOT NULL AND q.quota_kind IS NOT NULL""")
                .setParameter(1, runId)
                .setParameter(2, workspaceId)
                .setParameter(3, SqlTimestamps.of(now))
                .getResultList();
        // (running is written though not read: PostgreSQL runs every data-modifying WITH query.)
        // A queued child that already started (parked, or waiting for a retry) was executed: its unit counts.
        return rows.stream()
                .map(Object[].class::cast)
                .map(row -> new TakenUnit(SqlTimestamps.toInstant(row[0]), RunConsumption.valueOf((String) row[1])))
                .toList();
    }
}
