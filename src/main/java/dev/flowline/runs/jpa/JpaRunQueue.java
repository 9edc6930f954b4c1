package dev.flowline.runs.jpa;

import dev.flowline.platform.json.Jsons;
import dev.flowline.platform.persistence.JsonObjectConverter;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.runs.ClaimedRun;
import dev.flowline.runs.LeaseState;
import dev.flowline.runs.RunQueue;
import dev.flowline.runs.RunStatus;
import dev.flowline.runs.RunSuccess;
import dev.flowline.runs.RunTrigger;
import dev.flowline.runs.StepRecord;
import dev.flowline.runs.TakenUnit;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workspaces.RunConsumption;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link RunQueue} on PostgreSQL. Every change of a leased run is one guarded {@code UPDATE ... WHERE leased_by = owner
 * AND status = 'RUNNING'}: zero rows means the lease is lost, and the steps given with it are not written either. The
 * claim is one statement; see {@link #CLAIM}.
 */
@Stateless
public class JpaRunQueue implements RunQueue {

    /**
     * Fair across workspaces, in one statement. Queued candidates are taken per workflow: {@code queued_workflows}
     * skips from one workflow with queued runs to the next through {@code ix_workflow_runs_workflow_id_next_attempt_at}
     * (a loose index scan: one probe per such workflow, due or not), and each workflow gives at most its free slots
     * (its {@code concurrency_limit} minus its running runs under a live lease, {@code slots}) of its oldest due runs,
     * read from the same index; so a workflow at its limit costs one probe, never a walk through its backlog. The other
     * candidates are the oldest running runs whose lease expired ({@code expired}, {@code ix_workflow_runs_leases}).
     * Each candidate gets its place in its workflow (kept within the free slots) and then its turn: its workspace's
     * runs running under a live lease ({@code running}: the few running runs, at most the instances' workers)
     * plus its place among the workspace's candidates ({@code turns}). The batch takes the candidates by turn, oldest
     * first within a turn: the workspaces with the fewest runs running go first, so a claim of one run (a worker freed
     * up) goes to a quiet workspace's run rather than to the oldest run of a busy one, and one workspace's backlog
     * cannot fill the claims while another's runs wait. Only the first four batches' worth of candidates in that
     * order go on ({@code ranked}: room for the ones a concurrent claim locked or whose workflow it counted; a
     * backlog over many workflows has up to batch size x workflows candidates, and checking each against all of them
     * made the claim grow with the square of the busy workflows). {@code picked} reads those few by primary key (an
     * {@code ARRAY} of their ids: with a plain join the planner may hash the whole table). The candidate rows are
     * locked with {@code SKIP LOCKED}, so two instances never lease the same run; their workflow rows too (the second
     * {@code %s}: {@code SKIP LOCKED} for a batch, which must never wait or deadlock; waiting for one run's single
     * workflow row), so two claims never count one workflow's free slots at the same moment (the lock is {@code NO KEY
     * UPDATE}, which foreign-key checks of inserts do not wait for). The free slots are counted in the statement's
     * snapshot, which a claim that committed since (after this one began, before it locked the row) has made stale; so
     * every claim bumps its workflows' {@code claims} ({@code counted}), and the lock re-checks the row: a workflow
     * whose {@code claims} moved since the snapshot gives no run to this claim (the next one counts again), and the
     * limit is exact under any number of concurrent claimers. The conditions are repeated next to the lock so that a
     * row changed since the scan is re-checked. Taking over an expired lease is a new attempt and counts in
     * {@code takeovers}; a run keeps its first {@code started_at}. A run whose lease expired with {@code takeovers} at
     * the cap ({@code ?5}, {@code flowline.engine.max-takeovers}) is not a candidate: the same statement dead-letters
     * it ({@code exhausted}, {@code dead}, {@code letters}: the run and its dead letter, as {@link #deadLetter} writes
     * them), so a run that keeps killing its worker or instance is never claimed again. Those rows are disjoint from
     * {@code picked}. {@link #claimOne} adds {@code r.id = ?6} to every scan of runs.
     * Every scan of {@code workflow_runs} also has {@code id >= {floor}}, the {@link RunQueueFloor} (no QUEUED or RUNNING
     * run has a smaller id), so that it reads only the partitions that can hold such runs (migration 0039): without
     * it each probe of the loose index scan opened every period's indexes.
     */
    static final String CLAIM = """
            WITH RECURSIVE queued_workflows AS (
                (SELECT r.workflow_id FROM workflow_runs r WHERE r.status = 'QUEUED' AND r.id >= {floor} %1$s
                 ORDER BY r.workflow_id LIMIT 1)
                UNION ALL
                SELECT (SELECT r.workflow_id FROM workflow_runs r
                        WHERE r.status = 'QUEUED' AND r.workflow_id > q.workflow_id AND r.id >= {floor} %1$s
                        ORDER BY r.workflow_id LIMIT 1)
                FROM queued_workflows q WHERE q.workflow_id IS NOT NULL),
            expired AS (
                SELECT r.id, r.workspace_id, r.workflow_id, r.lease_expires_at AS due FROM workflow_runs r
                WHERE r.status = 'RUNNING' AND r.lease_expires_at < ?1 AND r.takeovers < ?5 AND r.id >= {floor} %1$s
                ORDER BY r.lease_expires_at LIMIT ?4),
            slots AS (
                SELECT w.id AS workflow_id, w.claims,
                       w.concurrency_limit - (SELECT count(*) FROM workflow_runs x
                                              WHERE x.workflow_id = w.id AND x.status = 'RUNNING' AND x.id >= {floor}
                                                AND x.lease_expires_at >= ?1) AS free
                FROM workflows w
                WHERE w.id IN (SELECT q.workflow_id FROM queued_workflows q UNION SELECT e.workflow_id FROM expired e)),
            candidates AS (
                SELECT e.id, e.workspace_id, e.workflow_id, e.due, s.free, s.claims
                FROM expired e JOIN slots s ON s.workflow_id = e.workflow_id
                UNION ALL
                SELECT d.id, d.workspace_id, s.workflow_id, d.due, s.free, s.claims
                FROM slots s CROSS JOIN LATERAL (
                    SELECT r.id, r.workspace_id, r.next_attempt_at AS due FROM workflow_runs r
                    WHERE r.workflow_id = s.workflow_id AND r.status = 'QUEUED' AND r.next_attempt_at <= ?1
                      AND r.id >= {floor} %1$s
                    ORDER BY r.next_attempt_at LIMIT LEAST(s.free, ?4)) d
                WHERE s.free > 0),
            placed AS (
                SELECT c.id, c.workspace_id, c.workflow_id, c.due, c.free, c.claims,
                       row_number() OVER (PARTITION BY c.workflow_id ORDER BY c.due, c.id) AS place
                FROM candidates c),
            running AS (
                SELECT s.workspace_id, (SELECT count(*) FROM workflow_runs x
                                        WHERE x.workspace_id = s.workspace_id AND x.status = 'RUNNING' AND x.id >= {floor}
                                          AND x.lease_expires_at >= ?1) AS runs
                FROM (SELECT DISTINCT p.workspace_id FROM placed p) s),
            turns AS (
                SELECT p.id, p.workflow_id, p.due, p.claims,
                       g.runs + row_number() OVER (PARTITION BY p.workspace_id ORDER BY p.due, p.id) AS turn
                FROM placed p JOIN running g ON g.workspace_id = p.workspace_id
                WHERE p.place <= p.free),
            ranked AS (
                SELECT t.id, t.workflow_id, t.due, t.claims, t.turn FROM turns t
                ORDER BY t.turn, t.due, t.id LIMIT ?4 * 4),
            picked AS (
                SELECT r.id, r.workflow_id, r.status AS was, r.started_at AS started, w.enabled, w.retry_max_attempts,
                       w.retry_backoff, w.retry_initial_delay_seconds, w.retry_max_delay_seconds
                FROM workflow_runs r JOIN ranked k ON k.id = r.id
                     JOIN workflows w ON w.id = r.workflow_id AND w.id = k.workflow_id
                WHERE r.id = ANY (ARRAY(SELECT t.id FROM ranked t)) AND r.id >= {floor} AND w.claims = k.claims
                  AND ((r.status = 'QUEUED' AND r.next_attempt_at <= ?1)
                       OR (r.status = 'RUNNING' AND r.lease_expires_at < ?1 AND r.takeovers < ?5))
                ORDER BY k.turn, k.due, r.id
                LIMIT ?4
                FOR UPDATE OF r SKIP LOCKED
                FOR NO KEY UPDATE OF w %2$s),
            counted AS (
                UPDATE workflows w SET claims = w.claims + 1 WHERE w.id IN (SELECT p.workflow_id FROM picked p)),
            exhausted AS (
                SELECT r.id FROM workflow_runs r
                WHERE r.status = 'RUNNING' AND r.lease_expires_at < ?1 AND r.takeovers >= ?5 AND r.id >= {floor} %1$s
                ORDER BY r.lease_expires_at LIMIT ?4
                FOR UPDATE SKIP LOCKED),
            dead AS (
                UPDATE workflow_runs r SET status = 'DEAD_LETTERED', finished_at = ?1, leased_by = NULL,
                       lease_expires_at = NULL,
                       error = 'The run was stopped after ' || r.takeovers || ' takeovers (flowline.engine.max-takeovers):'
                               || ' its lease expired again before it ended, so each instance that ran it stopped or'
                               || ' failed while running it.'
                FROM exhausted e WHERE r.id = e.id AND r.id >= {floor}
                RETURNING r.id, r.workspace_id, r.workflow_id, r.attempt, r.error),
            letters AS (
                INSERT INTO dead_letters (id, workspace_id, workflow_id, run_id, error, last_node_id, attempts,
                                          created_at)
                SELECT gen_random_uuid(), d.workspace_id, d.workflow_id, d.id, d.error, NULL, GREATEST(d.attempt, 1), ?1
                FROM dead d)
            UPDATE workflow_runs r SET status = 'RUNNING', leased_by = ?2, lease_expires_at = ?3,
                   started_at = COALESCE(r.started_at, ?1), woken_at = NULL,
                   attempt = CASE WHEN p.was = 'RUNNING' THEN r.attempt + 1 ELSE GREATEST(r.attempt, 1) END,
                   takeovers = CASE WHEN p.was = 'RUNNING' THEN r.takeovers + 1 ELSE r.takeovers END
            FROM picked p WHERE r.id = p.id AND r.id >= {floor}
            RETURNING r.id, p.started IS NOT NULL, p.enabled, p.retry_max_attempts, p.retry_backoff,
                      p.retry_initial_delay_seconds, p.retry_max_delay_seconds,
                      r.workspace_id, r.workflow_id, r.workflow_version, r.status, r.trigger, r.input, r.output,
                      r.error, r.attempt, r.idempotency_key, r.scheduled_for, r.webhook_delivery_id, r.rerun_of,
                      r.cancel_requested, r.queued_at, r.started_at, r.finished_at, r.next_attempt_at, r.leased_by,
                      r.lease_expires_at, r.parent_run_id, r.trace_parent""";

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    /** How many times a run whose lease expired is taken over; the next expiry dead-letters it. */
    @Inject
    @ConfigProperty(name = "flowline.engine.max-takeovers", defaultValue = "3")
    int maxTakeovers;

    @Override
    public List<ClaimedRun> claim(String owner, Instant now, Duration lease, int limit) {
        return claim(CLAIM.formatted("", "SKIP LOCKED"), null, owner, now, lease, limit);
    }

    @Override
    public Optional<ClaimedRun> claimOne(UUID runId, String owner, Instant now, Duration lease) {
        // One workflow row: wait for it (a claim holds it for a moment) rather than leave the run to the next poll.
        return claim(CLAIM.formatted("AND r.id = ?6", ""), runId, owner, now, lease, 1).stream().findFirst();
    }

    private List<ClaimedRun> claim(String sql, UUID runId, String owner, Instant now, Duration lease, int limit) {
        var query = em.createNativeQuery(RunQueueFloor.in(sql, em, now))
                .setParameter(1, SqlTimestamps.of(now))
                .setParameter(2, owner)
                .setParameter(3, SqlTimestamps.of(now.plus(lease)))
                .setParameter(4, limit)
                .setParameter(5, Math.max(0, maxTakeovers));
        if (runId != null) {
            query.setParameter(6, runId);
        }
        List<ClaimedRun> claimed = new ArrayList<>();
        for (Object row : query.getResultList()) {
            claimed.add(claimed((Object[]) row));
        }
        return claimed;
    }

    /**
     * The claim's row: id, resumed, the workflow's enabled flag and retry policy, then the run as the claim left it
     * (read from the statement's {@code RETURNING}, not read again). Native results are the driver's types.
     */
    private static ClaimedRun claimed(Object[] row) {
        RetryPolicy retry = new RetryPolicy(((Number) row[3]).intValue(), RetryPolicy.Backoff.valueOf((String) row[4]),
                ((Number) row[5]).intValue(), ((Number) row[6]).intValue());
        WorkflowRun run = new WorkflowRun((UUID) row[0], (UUID) row[7], (UUID) row[8], ((Number) row[9]).intValue(),
                RunStatus.valueOf((String) row[10]), RunTrigger.valueOf((String) row[11]), json(row[12]),
                json(row[13]), (String) row[14], ((Number) row[15]).intValue(), (String) row[16],
                SqlTimestamps.toInstant(row[17]), (String) row[18], (UUID) row[19], (Boolean) row[20],
                SqlTimestamps.toInstant(row[21]), SqlTimestamps.toInstant(row[22]), SqlTimestamps.toInstant(row[23]),
                SqlTimestamps.toInstant(row[24]), (String) row[25], SqlTimestamps.toInstant(row[26]), (UUID) row[27]);
        return new ClaimedRun(run, (Boolean) row[1], (Boolean) row[2], retry, (String) row[28]);
    }

    /** A {@code jsonb} column as pgjdbc returns it (a PGobject whose text is the JSON), or null. */
    private static JsonObject json(Object column) {
        return column == null ? null : JsonObjectConverter.parse(column.toString());
    }

    @Override
    public Set<UUID> renew(String owner, Collection<UUID> runIds, Instant leaseUntil) {
        Set<UUID> held = new HashSet<>();
        for (UUID runId : runIds) {
            if (extend(runId, owner, leaseUntil) != null) {
                held.add(runId);
            }
        }
        return held;
    }

    @Override
    public LeaseState checkpoint(UUID runId, String owner, List<StepRecord> steps, Instant leaseUntil) {
        Boolean cancelRequested = extend(runId, owner, leaseUntil);
        if (cancelRequested == null) {
            return LeaseState.LOST;
        }
        write(runId, steps);
        return cancelRequested ? LeaseState.CANCEL_REQUESTED : LeaseState.HELD;
    }

    /** The run's cancel flag if {@code owner} still holds it (lease extended), else null. */
    private Boolean extend(UUID runId, String owner, Instant leaseUntil) {
        List<?> rows = em.createNativeQuery("""
                        UPDATE workflow_runs SET lease_expires_at = ?3
                        WHERE id = ?1 AND leased_by = ?2 AND status = 'RUNNING'
                        RETURNING cancel_requested""")
                .setParameter(1, runId)
                .setParameter(2, owner)
                .setParameter(3, SqlTimestamps.of(leaseUntil))
                .getResultList();
        return rows.isEmpty() ? null : (Boolean) rows.get(0);
    }

    @Override
    public boolean succeed(UUID runId, String owner, List<StepRecord> steps, JsonObject output, Instant now) {
        return succeedAll(List.of(new RunSuccess(runId, owner, steps, output)), now).contains(runId);
    }

    /**
     * {@inheritDoc} One statement: the guarded update of every run still leased to its own holder, and the steps of
     * exactly those runs ({@link StepRows}), each run's output and holder taken from the same JSON array. The ids come
     * from the array, so nothing prunes partitions by them: {@code id >= floor} (a RUNNING run is above the
     * {@link RunQueueFloor}) keeps the update to the partitions that can hold such runs.
     */
    @Override
    public Set<UUID> succeedAll(List<RunSuccess> successes, Instant now) {
        if (successes.isEmpty()) {
            return Set.of();
        }
        JsonArrayBuilder runs = Jsons.createArrayBuilder();
        JsonArrayBuilder steps = Jsons.createArrayBuilder();
        for (RunSuccess success : successes) {
            runs.add(Jsons.createObjectBuilder().add("id", success.runId().toString()).add("owner", success.owner())
                    .add("output", success.output() == null ? JsonValue.NULL : success.output()));
            StepRows.add(steps, success.runId(), success.steps());
        }
        List<?> written = em.createNativeQuery(RunQueueFloor.in("""
                        WITH done AS (
                            UPDATE workflow_runs r SET status = 'SUCCEEDED', output = v.output, error = NULL,
                                   finished_at = ?3, leased_by = NULL, lease_expires_at = NULL
                            FROM jsonb_to_recordset(CAST(?2 AS jsonb)) AS v(id uuid, owner text, output jsonb)
                            WHERE r.id = v.id AND r.leased_by = v.owner AND r.status = 'RUNNING' AND r.id >= {floor}
                            RETURNING r.id),
                        steps AS (
                            INSERT INTO workflow_run_steps (id, run_id, node_id, status, attempt, output, error,
                                                            started_at, finished_at, input)
                            SELECT s.id, s.run_id, s.node_id, s.status, s.attempt, s.output, s.error, s.started_at,
                                   s.finished_at, s.input
                            FROM jsonb_to_recordset(CAST(?1 AS jsonb)) AS s(""" + StepRows.COLUMNS + """
                            )
                            WHERE s.run_id IN (SELECT id FROM done))
                        SELECT id FROM done""", em, now))
                .setParameter(1, steps.build().toString())
                .setParameter(2, runs.build().toString())
                .setParameter(3, SqlTimestamps.of(now))
                .getResultList();
        Set<UUID> succeeded = new HashSet<>();
        for (Object id : written) {
            succeeded.add((UUID) id);
        }
        return succeeded;
    }

    @Override
    public boolean waitUntil(UUID runId, String owner, List<StepRecord> steps, Instant resumeAt) {
        return end(runId, owner, steps, "status = 'QUEUED', error = NULL, woken_at = NULL,"
                        + " next_attempt_at = CASE WHEN woken_at IS NULL THEN ?3 ELSE LEAST(?3, woken_at) END",
                SqlTimestamps.of(resumeAt), null);
    }

    @Override
    public boolean wake(UUID runId, Instant now) {
        return em.createNativeQuery("""
                        UPDATE workflow_runs SET woken_at = ?2,
                               next_attempt_at = CASE WHEN status = 'QUEUED' THEN LEAST(next_attempt_at, ?2)
                                                      ELSE next_attempt_at END
                        WHERE id = ?1 AND status IN ('QUEUED', 'RUNNING')""")
                .setParameter(1, runId)
                .setParameter(2, SqlTimestamps.of(now))
                .executeUpdate() == 1;
    }

    @Override
    public boolean retryAt(UUID runId, String owner, List<StepRecord> steps, String error, Instant at) {
        return end(runId, owner, steps, "status = 'QUEUED', next_attempt_at = ?3, error = ?4, attempt = attempt + 1",
                SqlTimestamps.of(at), error);
    }

    @Override
    public boolean cancel(UUID runId, String owner, List<StepRecord> steps, Instant now) {
        return end(runId, owner, steps, "status = 'CANCELED', finished_at = ?3", SqlTimestamps.of(now), null);
    }

    /** One guarded update of a leased run that also ends the lease, then its steps if the lease was still held. */
    private boolean end(UUID runId, String owner, List<StepRecord> steps, String set, Object third, Object fourth) {
        String sql = "UPDATE workflow_runs SET " + set + ", leased_by = NULL, lease_expires_at = NULL"
                + " WHERE id = ?1 AND leased_by = ?2 AND status = 'RUNNING'";
        var update = em.createNativeQuery(sql).setParameter(1, runId).setParameter(2, owner).setParameter(3, third);
        if (set.contains("?4")) {
            update.setParameter(4, fourth);
        }
        if (update.executeUpdate() != 1) {
            return false;
        }
        write(runId, steps);
        return true;
    }

    @Override
    public boolean deadLetter(UUID runId, String owner, List<StepRecord> steps, String error, String lastNodeId,
                              Instant now) {
        List<?> filed = em.createNativeQuery("""
                        WITH dead AS (
                            UPDATE workflow_runs SET status = 'DEAD_LETTERED', finished_at = ?3, error = ?4,
                                   leased_by = NULL, lease_expires_at = NULL
                            WHERE id = ?1 AND leased_by = ?2 AND status = 'RUNNING'
                            RETURNING id, workspace_id, workflow_id, attempt)
                        INSERT INTO dead_letters (id, workspace_id, workflow_id, run_id, error, last_node_id, attempts,
                                                  created_at)
                        SELECT ?5, workspace_id, workflow_id, id, ?4, ?6, GREATEST(attempt, 1), ?3 FROM dead
                        RETURNING id""")
                .setParameter(1, runId)
                .setParameter(2, owner)
                .setParameter(3, SqlTimestamps.of(now))
                .setParameter(4, error)
                .setParameter(5, UUID.randomUUID())
                .setParameter(6, lastNodeId)
                .getResultList();
        if (filed.isEmpty()) {
            return false;
        }
        write(runId, steps);
        return true;
    }

    @Override
    public Optional<TakenUnit> refuse(UUID runId, String owner, String reason, Instant now) {
        List<?> rows = em.createNativeQuery("""
                        UPDATE workflow_runs SET status = 'CANCELED', finished_at = ?3, error = ?4,
                               leased_by = NULL, lease_expires_at = NULL
                        WHERE id = ?1 AND leased_by = ?2 AND status = 'RUNNING'
                          AND NOT EXISTS (SELECT 1 FROM workflow_run_steps s WHERE s.run_id = ?1)
                        RETURNING quota_period_start, quota_kind""")
                .setParameter(1, runId)
                .setParameter(2, owner)
                .setParameter(3, SqlTimestamps.of(now))
                .setParameter(4, reason)
                .getResultList();
        return rows.stream()
                .map(Object[].class::cast)
                .filter(row -> row[0] != null && row[1] != null)
                .map(row -> new TakenUnit(SqlTimestamps.toInstant(row[0]), RunConsumption.valueOf((String) row[1])))
                .findFirst();
    }

    @Override
    public long depth(Instant now) {
        // ix_workflow_runs_queue (next_attempt_at) WHERE status = 'QUEUED', of the partitions from the floor up
        Object count = em.createNativeQuery(RunQueueFloor.in("""
                        SELECT count(*) FROM workflow_runs
                        WHERE status = 'QUEUED' AND next_attempt_at <= ?1 AND id >= {floor}""", em, now))
                .setParameter(1, SqlTimestamps.of(now))
                .getSingleResult();
        return ((Number) count).longValue();
    }

    @Override
    public int release(String owner, Collection<UUID> runIds, Instant now) {
        int released = 0;
        for (UUID runId : runIds) {
            released += em.createNativeQuery("""
                            UPDATE workflow_runs SET status = 'QUEUED', next_attempt_at = ?3,
                                   leased_by = NULL, lease_expires_at = NULL
                            WHERE id = ?1 AND leased_by = ?2 AND status = 'RUNNING'""")
                    .setParameter(1, runId)
                    .setParameter(2, owner)
                    .setParameter(3, SqlTimestamps.of(now))
                    .executeUpdate();
        }
        return released;
    }

    /** The steps in one statement ({@link StepRows}). */
    private void write(UUID runId, List<StepRecord> steps) {
        if (!steps.isEmpty()) {
            em.createNativeQuery(StepRows.INSERT).setParameter(1, StepRows.of(runId, steps)).executeUpdate();
        }
    }
}
