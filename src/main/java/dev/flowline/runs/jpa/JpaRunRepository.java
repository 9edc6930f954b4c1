package dev.flowline.runs.jpa;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.KeysetParameters;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.runs.ChildOf;
import dev.flowline.runs.NewRun;
import dev.flowline.runs.RunIds;
import dev.flowline.runs.RunQuery;
import dev.flowline.runs.RunRepository;
import dev.flowline.runs.RunStatus;
import dev.flowline.runs.RunStep;
import dev.flowline.runs.TakenUnit;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.RunConsumption;
import jakarta.ejb.Stateless;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link RunRepository} on PostgreSQL. Reads are JPQL projections; native SQL where PostgreSQL is needed, each covered
 * by {@code JpaWorkflowRepositoriesIT}: {@code INSERT ... ON CONFLICT DO NOTHING RETURNING id}, so that a run whose
 * once-key is taken (the trigger {@code tr_workflow_runs_once}) makes concurrent duplicates insert nothing instead of
 * failing; {@code UPDATE ... RETURNING} to give a canceled run's
 * quota unit back exactly once; and retention's {@code SKIP LOCKED} batches.
 * The run list is JPQL built from the filters that are present (not {@code :x IS NULL OR ...}, which keeps PostgreSQL
 * from using the (workspace|workflow, queued_at DESC, id DESC) indexes).
 */
@Stateless
public class JpaRunRepository implements RunRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    /**
     * {@inheritDoc} A run whose once-key (idempotency key, scheduled time, delivery id, request hash, child key) is
     * taken inserts nothing: the trigger {@code tr_workflow_runs_once} of migration 0039 takes the run's keys in the
     * plain table {@code run_once_keys} (a partitioned table has no unique index without the partition key) and skips
     * the row when one is taken; a concurrent insert with the same key waits on that table's primary key for the
     * first one and, once it commits, inserts nothing. The answer is
     * built from what was inserted, not read back (times are cut to PostgreSQL's microseconds before they are bound);
     * only the input's key order may differ from a later read, as {@code jsonb} keeps its own.
     */
    @Override
    public Optional<WorkflowRun> insertRun(NewRun run, Instant now) {
        return insert(run, now, null, null);
    }

    /**
     * {@inheritDoc} One statement: {@code seen} counts the workflow's room in the statement's snapshot (its running
     * runs under a live lease, through {@code ix_workflow_runs_running_workflow_id}; a due queued run of it, through
     * {@code ix_workflow_runs_workflow_id_next_attempt_at}) with its {@code claims}; {@code room} locks the workflow row
     * {@code FOR NO KEY UPDATE SKIP LOCKED} (never waits: a claim or another accept holding it sends this run to the
     * queue) and re-checks {@code claims} on the row as it is now: a claim or accept that committed since the
     * snapshot moved it, and its runs are not in the count, so the run is queued; {@code counted} moves {@code claims}
     * itself, so that a claim counting in an older snapshot gives this workflow nothing, exactly as the claim does
     * (see {@code JpaRunQueue.CLAIM}). The insert then takes RUNNING, leased, or QUEUED (its values read
     * {@code counted}: one row or none; a {@code VALUES} list, so that parameters take their columns' types). Its scans
     * of runs read only the partitions from the {@link RunQueueFloor} up, as the claim's do.
     */
    @Override
    public Optional<WorkflowRun> insertRun(NewRun run, Instant now, String holder, Instant leaseUntil) {
        return insert(run, now, holder, leaseUntil);
    }

    private static final String INSERT = """
            INSERT INTO workflow_runs (id, workspace_id, workflow_id, workflow_version, status, trigger,
                input, attempt, idempotency_key, scheduled_for, webhook_delivery_id, rerun_of,
                quota_period_start, quota_kind, cancel_requested, queued_at, next_attempt_at, created_by,
                webhook_request_hash, parent_run_id, parent_node_id, parent_attempt, item_index,
                call_depth, trace_parent)
            VALUES (?1, ?2, ?3, ?4, 'QUEUED', ?5, ?6, 0, ?7, ?8, ?9, ?10, ?11, ?12, false, ?13, ?13, ?14,
                    ?15, ?16, ?17, ?18, ?19, ?20, ?21)
            ON CONFLICT DO NOTHING
            RETURNING id, status""";

    private static final String INSERT_LEASED = """
            WITH seen AS (
                SELECT w.id, w.claims FROM workflows w
                WHERE w.id = ?3 AND w.enabled
                  AND w.concurrency_limit > (SELECT count(*) FROM workflow_runs x
                                             WHERE x.workflow_id = w.id AND x.status = 'RUNNING'
                                               AND x.lease_expires_at >= ?13 AND x.id >= {floor})
                  AND NOT EXISTS (SELECT 1 FROM workflow_runs q
                                  WHERE q.workflow_id = w.id AND q.status = 'QUEUED' AND q.next_attempt_at <= ?13
                                    AND q.id >= {floor})),
            room AS (
                SELECT w.id FROM workflows w JOIN seen s ON s.id = w.id
                WHERE w.claims = s.claims AND w.enabled
                FOR NO KEY UPDATE OF w SKIP LOCKED),
            counted AS (
                UPDATE workflows w SET claims = w.claims + 1 FROM room r WHERE w.id = r.id RETURNING w.id)
            INSERT INTO workflow_runs (id, workspace_id, workflow_id, workflow_version, status, trigger,
                input, attempt, idempotency_key, scheduled_for, webhook_delivery_id, rerun_of,
                quota_period_start, quota_kind, cancel_requested, queued_at, next_attempt_at, created_by,
                webhook_request_hash, parent_run_id, parent_node_id, parent_attempt, item_index,
                call_depth, trace_parent, started_at, leased_by, lease_expires_at)
            VALUES (?1, ?2, ?3, ?4,
                    (SELECT CASE WHEN count(*) = 0 THEN 'QUEUED' ELSE 'RUNNING' END FROM counted), ?5, ?6,
                    (SELECT count(*) FROM counted), ?7, ?8, ?9, ?10, ?11, ?12, false, ?13, ?13, ?14,
                    ?15, ?16, ?17, ?18, ?19, ?20, ?21, (SELECT CAST(?13 AS timestamptz) FROM counted),
                    (SELECT CAST(?22 AS text) FROM counted), (SELECT CAST(?23 AS timestamptz) FROM counted))
            ON CONFLICT DO NOTHING
            RETURNING id, status""";

    private Optional<WorkflowRun> insert(NewRun run, Instant now, String holder, Instant leaseUntil) {
        Instant queuedAt = now.truncatedTo(ChronoUnit.MICROS);
        // time-ordered: the id names the partition of the run's time (migration 0039)
        UUID id = RunIds.next(queuedAt);
        Instant until = leaseUntil == null ? null : leaseUntil.truncatedTo(ChronoUnit.MICROS);
        Instant scheduledFor = run.scheduledFor() == null ? null : run.scheduledFor().truncatedTo(ChronoUnit.MICROS);
        JsonObject input = run.input() == null ? JsonValue.EMPTY_JSON_OBJECT : run.input();
        ChildOf child = run.child();
        String sql = holder == null ? INSERT : RunQueueFloor.forAccept(INSERT_LEASED, em, queuedAt);
        var query = em.createNativeQuery(sql)
                .setParameter(1, id)
                .setParameter(2, run.workspaceId())
                .setParameter(3, run.workflowId())
                .setParameter(4, run.workflowVersion())
                .setParameter(5, run.trigger().name())
                .setParameter(6, input.toString())
                .setParameter(7, run.idempotencyKey())
                .setParameter(8, SqlTimestamps.of(scheduledFor))
                .setParameter(9, run.webhookDeliveryId())
                .setParameter(10, run.rerunOf())
                .setParameter(11, SqlTimestamps.of(run.quotaPeriodStart()))
                .setParameter(12, run.quotaKind() == null ? null : run.quotaKind().name())
                .setParameter(13, SqlTimestamps.of(queuedAt))
                .setParameter(14, run.createdBy())
                .setParameter(15, run.webhookRequestHash())
                .setParameter(16, child == null ? null : child.parentRunId())
                .setParameter(17, child == null ? null : child.parentNodeId())
                .setParameter(18, child == null ? null : child.parentAttempt())
                .setParameter(19, child == null ? null : child.itemIndex())
                .setParameter(20, child == null ? 0 : child.callDepth())
                .setParameter(21, run.traceParent());
        if (holder != null) {
            query.setParameter(22, holder).setParameter(23, SqlTimestamps.of(until));
        }
        List<?> inserted = query.getResultList();
        if (inserted.isEmpty()) {
            return Optional.empty();
        }
        RunQueueFloor.inserted(id);
        boolean leased = RunStatus.RUNNING.name().equals(((Object[]) inserted.get(0))[1]);
        return Optional.of(new WorkflowRun(id, run.workspaceId(), run.workflowId(), run.workflowVersion(),
                leased ? RunStatus.RUNNING : RunStatus.QUEUED, run.trigger(), input, null, null, leased ? 1 : 0,
                run.idempotencyKey(), scheduledFor, run.webhookDeliveryId(), run.rerunOf(), false, queuedAt,
                leased ? queuedAt : null, null, queuedAt, leased ? holder : null, leased ? until : null,
                child == null ? null : child.parentRunId()));
    }

    @Override
    public Optional<WorkflowRun> findRun(UUID workspaceId, UUID runId) {
        return em.createNamedQuery(WorkflowRunEntity.FIND, Object[].class)
                .setParameter("id", runId)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .findFirst()
                .map(WorkflowRunEntity::toRun);
    }

    @Override
    public Optional<WorkflowRun> findRunByIdempotencyKey(UUID workflowId, String idempotencyKey) {
        return findByOnceKey(ONCE_KEY, workflowId, 1, idempotencyKey);
    }

    @Override
    public Optional<WorkflowRun> findRunByDeliveryId(UUID workflowId, String deliveryId) {
        return findByOnceKey(ONCE_KEY, workflowId, 3, deliveryId);
    }

    @Override
    public Optional<WorkflowRun> findRunByWebhookRequest(UUID workflowId, String requestHash) {
        return findByOnceKey(ONCE_KEY, workflowId, 4, requestHash);
    }

    @Override
    public Optional<WorkflowRun> findRunByScheduledFor(UUID workflowId, Instant scheduledFor) {
        // as the insert writes it: to the microsecond
        Instant firing = scheduledFor.truncatedTo(ChronoUnit.MICROS);
        return findByOnceKey(ONCE_SCHEDULE_KEY, workflowId, 2, SqlTimestamps.of(firing));
    }

    private static final String ONCE_KEY = """
            SELECT run_id FROM run_once_keys WHERE scope_id = ?1 AND kind = ?2 AND once_key = ?3""";

    /** A schedule's firing as {@code keep_runs_once} writes its key (migration 0039): the same expression, in SQL. */
    private static final String ONCE_SCHEDULE_KEY = """
            SELECT run_id FROM run_once_keys WHERE scope_id = ?1 AND kind = ?2
              AND once_key = to_char(CAST(?3 AS timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')""";

    /**
     * The run that holds a once-key of {@code kind} (1 Idempotency-Key, 2 a schedule's firing, 3 a delivery id, 4 a
     * signed request's hash; as the trigger numbers them), found through {@code run_once_keys} and then read by id:
     * a probe of the key's primary key and one of the run's own partition, where a lookup by the key's columns would
     * probe every partition. A key whose run a dropped period took (not pruned yet) finds nothing, as the run is gone.
     */
    private Optional<WorkflowRun> findByOnceKey(String sql, UUID workflowId, int kind, Object key) {
        List<?> ids = em.createNativeQuery(sql)
                .setParameter(1, workflowId)
                .setParameter(2, (short) kind)
                .setParameter(3, key)
                .getResultList();
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        return em.createNamedQuery(WorkflowRunEntity.FIND_BY_ID, Object[].class)
                .setParameter("id", ids.get(0))
                .getResultStream()
                .findFirst()
                .map(WorkflowRunEntity::toRun)
                .filter(run -> run.workflowId().equals(workflowId));
    }

    /** How far back the first try of a run list page looks ({@link #listRuns}). */
    static final Duration RECENT = Duration.ofDays(1);

    /**
     * {@inheritDoc} The JPQL holds only the conditions of the filters present, so that PostgreSQL walks
     * {@code ix_workflow_runs_workflow_id_queued_at} or {@code ix_workflow_runs_workspace_id_queued_at} in order and
     * stops after {@code limit + 1} rows. The keyset condition repeats {@code queued_at <= :at} as a plain range the
     * index can seek to.
     * <p>Partitions (migration 0039): a run's id tells its queue time, so a lower time bound is repeated on the id
     * ({@code id >= floor(from)}; the legacy partition's ids all sort after), which prunes the older partitions. (An
     * upper bound would need {@code OR} an id of the legacy partition, which turned the plans into bitmap scans and a
     * sort.) A page without a lower bound first tries the day before its top
     * ({@link #RECENT}): when that fills the page, those are the page's rows (every run left out is older than every
     * run in it), read from the newest partitions only instead of a merge of the first rows of every partition;
     * otherwise the page is read again without the bound.
     */
    @Override
    public List<WorkflowRun> listRuns(RunQuery query) {
        if (query.queuedFrom() == null) {
            Instant top = query.before() != null ? query.before().at()
                    : query.queuedBefore() != null ? query.queuedBefore() : Instant.now();
            List<WorkflowRun> recent = listRuns(query, top.minus(RECENT));
            if (recent.size() > query.limit()) {
                return recent;
            }
        }
        return listRuns(query, query.queuedFrom());
    }

    private List<WorkflowRun> listRuns(RunQuery query, Instant queuedFrom) {
        StringBuilder jpql = new StringBuilder("SELECT ").append(WorkflowRunEntity.COLUMNS)
                .append(" FROM WorkflowRunEntity r WHERE r.workspaceId = :workspaceId");
        boolean byWorkflow = query.workflowId() != null;
        boolean byParent = query.parentRunId() != null;
        boolean byStatus = query.statuses() != null && !query.statuses().isEmpty();
        if (byWorkflow) {
            jpql.append(" AND r.workflowId = :workflowId");
        }
        if (byParent) {
            jpql.append(" AND r.parentRunId = :parentRunId");
        }
        if (byStatus) {
            jpql.append(" AND r.status IN :statuses");
        }
        if (queuedFrom != null) {
            jpql.append(" AND r.queuedAt >= :queuedFrom AND r.id >= :idFrom");
        }
        if (query.queuedBefore() != null) {
            jpql.append(" AND r.queuedAt < :queuedBefore");
        }
        if (query.before() != null) {
            jpql.append(" AND r.queuedAt <= :at AND (r.queuedAt < :at OR (r.queuedAt = :at AND r.id < :id))");
        }
        jpql.append(" ORDER BY r.queuedAt DESC, r.id DESC");

        TypedQuery<Object[]> select = em.createQuery(jpql.toString(), Object[].class)
                .setParameter("workspaceId", query.workspaceId());
        if (byWorkflow) {
            select.setParameter("workflowId", query.workflowId());
        }
        if (byParent) {
            select.setParameter("parentRunId", query.parentRunId());
        }
        if (byStatus) {
            select.setParameter("statuses", List.copyOf(query.statuses()));
        }
        if (queuedFrom != null) {
            select.setParameter("queuedFrom", queuedFrom);
            select.setParameter("idFrom", RunIds.floor(queuedFrom));
        }
        if (query.queuedBefore() != null) {
            select.setParameter("queuedBefore", query.queuedBefore());
        }
        if (query.before() != null) {
            KeysetParameters.bind(select, query.before());
        }
        return select.setMaxResults(query.limit() + 1)
                .getResultStream()
                .map(WorkflowRunEntity::toRun)
                .toList();
    }

    @Override
    public List<RunStep> listSteps(UUID runId) {
        return em.createNamedQuery(WorkflowRunStepEntity.LIST, Object[].class)
                .setParameter("runId", runId)
                .getResultStream()
                .map(WorkflowRunStepEntity::toStep)
                .toList();
    }

    @Override
    public List<RunStep> listSteps(UUID runId, Keyset after, int limit) {
        // ix_workflow_run_steps_run_id (run_id, started_at, id) serves the condition, the order and the limit.
        TypedQuery<Object[]> query = after == null
                ? em.createNamedQuery(WorkflowRunStepEntity.LIST, Object[].class)
                : KeysetParameters.bind(em.createNamedQuery(WorkflowRunStepEntity.LIST_AFTER, Object[].class), after);
        return query.setParameter("runId", runId)
                .setMaxResults(limit + 1)
                .getResultStream()
                .map(WorkflowRunStepEntity::toStep)
                .toList();
    }

    @Override
    public Optional<WorkflowRun> cancelRun(UUID workspaceId, UUID runId, Instant now) {
        // Each guard re-checks the status on the latest row version, so a run the engine just claimed is not
        // canceled as if it were still queued: it is marked cancel-requested instead.
        int canceled = em.createNamedQuery(WorkflowRunEntity.CANCEL_QUEUED)
                .setParameter("canceled", RunStatus.CANCELED)
                .setParameter("now", now)
                .setParameter("id", runId)
                .setParameter("workspaceId", workspaceId)
                .executeUpdate();
        if (canceled == 0) {
            em.createNamedQuery(WorkflowRunEntity.REQUEST_CANCEL)
                    .setParameter("id", runId)
                    .setParameter("workspaceId", workspaceId)
                    .executeUpdate();
        }
        return findRun(workspaceId, runId);
    }

    @Override
    public Optional<TakenUnit> cancelQueuedRun(UUID workspaceId, UUID runId, Instant now) {
        List<?> rows = em.createNativeQuery("""
                        UPDATE workflow_runs SET status = 'CANCELED', finished_at = ?1
                        WHERE id = ?2 AND workspace_id = ?3 AND status = 'QUEUED'
                        RETURNING quota_period_start, quota_kind, started_at""")
                .setParameter(1, SqlTimestamps.of(now))
                .setParameter(2, runId)
                .setParameter(3, workspaceId)
                .getResultList();
        // A queued run that already started (waiting out a delay or a retry) was executed: its unit counts.
        return rows.stream()
                .map(Object[].class::cast)
                .filter(row -> row[0] != null && row[1] != null && row[2] == null)
                .map(row -> new TakenUnit(SqlTimestamps.toInstant(row[0]), RunConsumption.valueOf((String) row[1])))
                .findFirst();
    }

    @Override
    public RunStep recordStep(UUID runId, String nodeId, RunStep.StepStatus status, int attempt, JsonObject output,
                              String error, Instant startedAt, Instant finishedAt) {
        WorkflowRunStepEntity step = new WorkflowRunStepEntity(UUID.randomUUID(), runId, nodeId, status, attempt, output,
                error, startedAt, finishedAt, null);
        em.persist(step);
        em.flush();
        return step.toStep();
    }


    @Override
    public int pruneRuns(PlanTier tier, Instant cutoff, int batchSize) {
        // One statement: the batch is locked (SKIP LOCKED: never waits for, or blocks, the API or the engine), its
        // steps go first, then the runs. Webhook deliveries keep their row (run_id is set null by the foreign key).
        List<?> deleted = em.createNativeQuery("""
                        WITH doomed AS (
                            SELECT r.id FROM workflow_runs r JOIN workspaces w ON w.id = r.workspace_id
                            WHERE w.plan_tier = ?1 AND r.queued_at < ?2
                              AND r.status IN ('SUCCEEDED', 'FAILED', 'CANCELED', 'DEAD_LETTERED')
                              AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.run_id = r.id)
                            ORDER BY r.queued_at
                            LIMIT ?3
                            FOR UPDATE OF r SKIP LOCKED),
                        steps AS (DELETE FROM workflow_run_steps s USING doomed WHERE s.run_id = doomed.id)
                        DELETE FROM workflow_runs r USING doomed WHERE r.id = doomed.id
                        RETURNING r.id""")
                .setParameter(1, tier.name())
                .setParameter(2, SqlTimestamps.of(cutoff))
                .setParameter(3, batchSize)
                .getResultList();
        return deleted.size();
    }
}
