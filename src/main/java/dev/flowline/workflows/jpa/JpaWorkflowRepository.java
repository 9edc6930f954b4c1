package dev.flowline.workflows.jpa;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.runs.DeadLetter;
import dev.flowline.runs.NewRun;
import dev.flowline.runs.RunQuery;
import dev.flowline.runs.RunStatus;
import dev.flowline.runs.RunStep;
import dev.flowline.runs.TakenUnit;
import dev.flowline.runs.WorkflowRun;
import dev.flowline.workflows.MissedFiringPolicy;
import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.Schedule;
import dev.flowline.workflows.WebhookDelivery;
import dev.flowline.workflows.WebhookTrigger;
import dev.flowline.workflows.Workflow;
import dev.flowline.workflows.WorkflowRepository;
import dev.flowline.workflows.WorkflowSettings;
import dev.flowline.workflows.WorkflowVersion;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.RunConsumption;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link WorkflowRepository} on PostgreSQL. Reads are JPQL projections (named queries checked at deployment, never a
 * stale managed entity after a bulk update in the same transaction); changes are guarded JPQL bulk updates. Native
 * SQL where PostgreSQL is needed, each covered by {@code JpaWorkflowRepositoryIT}:
 * <ul>
 *   <li>runs: {@code INSERT ... ON CONFLICT DO NOTHING RETURNING id}, so that the partial unique indexes on
 *       (workflow, idempotency key), (workflow, scheduled time) and (workflow, webhook delivery id) make concurrent
 *       duplicates insert nothing instead of failing;</li>
 *   <li>schedules and webhooks: upserts ({@code ON CONFLICT (workflow_id) DO UPDATE}) that take the workspace from
 *       the workflow row, so a schedule or webhook can only be attached to a workflow of the given workspace;</li>
 *   <li>the scheduler's claim: {@code FOR UPDATE OF s SKIP LOCKED}, so concurrent instances get disjoint sets.</li>
 * </ul>
 * The run list is JPQL built from the filters that are present (not {@code :x IS NULL OR ...}, which keeps PostgreSQL
 * from using the (workspace|workflow, queued_at DESC, id DESC) indexes).
 */
@Stateless
public class JpaWorkflowRepository implements WorkflowRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    // --- workflows and versions ---

    @Override
    public Workflow create(UUID workspaceId, WorkflowSettings settings, UUID createdBy, Instant now) {
        Objects.requireNonNull(settings.definition(), "definition");
        WorkflowEntity workflow = new WorkflowEntity(UUID.randomUUID(), workspaceId, settings, createdBy, now);
        em.persist(workflow);
        em.flush();
        Workflow created = workflow.toWorkflow();
        em.persist(new WorkflowVersionEntity(created.id(), 1, settings.definition(), createdBy, now));
        em.flush();
        return created;
    }

    @Override
    public Optional<Workflow> find(UUID workspaceId, UUID workflowId) {
        return em.createNamedQuery(WorkflowEntity.FIND, Object[].class)
                .setParameter("id", workflowId)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .findFirst()
                .map(WorkflowEntity::toWorkflow);
    }

    @Override
    public List<Workflow> list(UUID workspaceId, Keyset after, int limit) {
        TypedQuery<Object[]> query = after == null
                ? em.createNamedQuery(WorkflowEntity.LIST, Object[].class)
                : keyset(em.createNamedQuery(WorkflowEntity.LIST_AFTER, Object[].class), after);
        return query.setParameter("workspaceId", workspaceId)
                .setMaxResults(limit + 1)
                .getResultStream()
                .map(WorkflowEntity::toWorkflow)
                .toList();
    }

    /**
     * {@inheritDoc} The definitions are compared as JSON values (key order and formatting do not matter). The new
     * version row is inserted after the guarded update, which holds the workflow's row lock until commit: a
     * concurrent update or restore waits and then finds the version moved.
     */
    @Override
    public Optional<Workflow> update(UUID workspaceId, UUID workflowId, WorkflowSettings settings, long expectedVersion,
                                     UUID updatedBy, Instant now) {
        Objects.requireNonNull(settings.definition(), "definition");
        List<Object[]> current = em.createNamedQuery(WorkflowEntity.FIND_CURRENT_DEFINITION, Object[].class)
                .setParameter("id", workflowId)
                .setParameter("workspaceId", workspaceId)
                .getResultList();
        if (current.isEmpty() || ((Number) current.get(0)[0]).longValue() != expectedVersion) {
            return Optional.empty();
        }
        int currentVersion = ((Number) current.get(0)[1]).intValue();
        boolean changed = !settings.definition().equals(current.get(0)[2]);
        int newCurrentVersion = changed ? currentVersion + 1 : currentVersion;
        RetryPolicy retry = settings.retryPolicy() == null ? RetryPolicy.DEFAULT : settings.retryPolicy();
        // Every change bumps the version, so "still at expectedVersion" here means "as read above".
        int updated = em.createNamedQuery(WorkflowEntity.UPDATE_SETTINGS)
                .setParameter("name", settings.name())
                .setParameter("description", settings.description())
                .setParameter("enabled", settings.enabled())
                .setParameter("triggerType", settings.triggerType())
                .setParameter("concurrencyLimit", settings.concurrencyLimit())
                .setParameter("retryMaxAttempts", retry.maxAttempts())
                .setParameter("retryBackoff", retry.backoff())
                .setParameter("retryInitialDelaySeconds", retry.initialDelaySeconds())
                .setParameter("retryMaxDelaySeconds", retry.maxDelaySeconds())
                .setParameter("currentVersion", newCurrentVersion)
                .setParameter("now", now)
                .setParameter("id", workflowId)
                .setParameter("workspaceId", workspaceId)
                .setParameter("version", expectedVersion)
                .executeUpdate();
        if (updated != 1) {
            return Optional.empty();
        }
        if (changed) {
            em.persist(new WorkflowVersionEntity(workflowId, newCurrentVersion, settings.definition(), updatedBy, now));
            em.flush();
        }
        return find(workspaceId, workflowId);
    }

    @Override
    public boolean delete(UUID workspaceId, UUID workflowId) {
        return em.createNamedQuery(WorkflowEntity.DELETE)
                .setParameter("id", workflowId)
                .setParameter("workspaceId", workspaceId)
                .executeUpdate() == 1;
    }

    @Override
    public List<WorkflowVersion> listVersions(UUID workflowId, Integer beforeNumber, int limit) {
        TypedQuery<Object[]> query = beforeNumber == null
                ? em.createNamedQuery(WorkflowVersionEntity.LIST, Object[].class)
                : em.createNamedQuery(WorkflowVersionEntity.LIST_BEFORE, Object[].class)
                        .setParameter("before", beforeNumber);
        return query.setParameter("workflowId", workflowId)
                .setMaxResults(limit + 1)
                .getResultStream()
                .map(WorkflowVersionEntity::toVersion)
                .toList();
    }

    @Override
    public Optional<WorkflowVersion> findVersion(UUID workflowId, int number) {
        return em.createNamedQuery(WorkflowVersionEntity.FIND, Object[].class)
                .setParameter("workflowId", workflowId)
                .setParameter("number", number)
                .getResultStream()
                .findFirst()
                .map(WorkflowVersionEntity::toVersion);
    }

    /**
     * {@inheritDoc} The copy is always a new version, even of the current one. The guarded update takes the next
     * number under the workflow's row lock, so concurrent restores (with no expected version) get distinct numbers.
     */
    @Override
    public Optional<Workflow> restoreVersion(UUID workspaceId, UUID workflowId, int number, String triggerType,
                                             Long expectedVersion, UUID restoredBy, Instant now) {
        Optional<JsonObject> definition = em.createNamedQuery(WorkflowVersionEntity.FIND_DEFINITION_IN_WORKSPACE,
                        JsonObject.class)
                .setParameter("workflowId", workflowId)
                .setParameter("workspaceId", workspaceId)
                .setParameter("number", number)
                .getResultStream()
                .findFirst();
        if (definition.isEmpty()) {
            return Optional.empty();
        }
        Query next = expectedVersion == null
                ? em.createNamedQuery(WorkflowEntity.NEXT_VERSION)
                : em.createNamedQuery(WorkflowEntity.NEXT_VERSION_AT_VERSION).setParameter("version", expectedVersion);
        int updated = next.setParameter("now", now)
                .setParameter("triggerType", triggerType)
                .setParameter("id", workflowId)
                .setParameter("workspaceId", workspaceId)
                .executeUpdate();
        if (updated != 1) {
            return Optional.empty();
        }
        Workflow restored = find(workspaceId, workflowId).orElseThrow();
        em.persist(new WorkflowVersionEntity(workflowId, restored.currentVersion(), definition.get(), restoredBy, now));
        em.flush();
        return Optional.of(restored);
    }

    // --- runs ---

    /**
     * {@inheritDoc} {@code ON CONFLICT DO NOTHING} without a target covers the three partial unique indexes: a
     * concurrent insert with the same key waits for the first one and, once it commits, inserts nothing.
     */
    @Override
    public Optional<WorkflowRun> insertRun(NewRun run, Instant now) {
        UUID id = UUID.randomUUID();
        List<?> inserted = em.createNativeQuery("""
                        INSERT INTO workflow_runs (id, workspace_id, workflow_id, workflow_version, status, trigger,
                            input, attempt, idempotency_key, scheduled_for, webhook_delivery_id, rerun_of,
                            quota_period_start, quota_kind, cancel_requested, queued_at, next_attempt_at, created_by)
                        VALUES (?1, ?2, ?3, ?4, 'QUEUED', ?5, ?6, 0, ?7, ?8, ?9, ?10, ?11, ?12, false, ?13, ?13, ?14)
                        ON CONFLICT DO NOTHING
                        RETURNING id""")
                .setParameter(1, id)
                .setParameter(2, run.workspaceId())
                .setParameter(3, run.workflowId())
                .setParameter(4, run.workflowVersion())
                .setParameter(5, run.trigger().name())
                .setParameter(6, run.input() == null ? "{}" : run.input().toString())
                .setParameter(7, run.idempotencyKey())
                .setParameter(8, SqlTimestamps.of(run.scheduledFor()))
                .setParameter(9, run.webhookDeliveryId())
                .setParameter(10, run.rerunOf())
                .setParameter(11, SqlTimestamps.of(run.quotaPeriodStart()))
                .setParameter(12, run.quotaKind() == null ? null : run.quotaKind().name())
                .setParameter(13, SqlTimestamps.of(now))
                .setParameter(14, run.createdBy())
                .getResultList();
        return inserted.isEmpty() ? Optional.empty() : findRunById(id);
    }

    private Optional<WorkflowRun> findRunById(UUID runId) {
        return em.createNamedQuery(WorkflowRunEntity.FIND_BY_ID, Object[].class)
                .setParameter("id", runId)
                .getResultStream()
                .findFirst()
                .map(WorkflowRunEntity::toRun);
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
        return em.createNamedQuery(WorkflowRunEntity.FIND_BY_IDEMPOTENCY_KEY, Object[].class)
                .setParameter("workflowId", workflowId)
                .setParameter("key", idempotencyKey)
                .getResultStream()
                .findFirst()
                .map(WorkflowRunEntity::toRun);
    }

    @Override
    public Optional<WorkflowRun> findRunByDeliveryId(UUID workflowId, String deliveryId) {
        return em.createNamedQuery(WorkflowRunEntity.FIND_BY_DELIVERY_ID, Object[].class)
                .setParameter("workflowId", workflowId)
                .setParameter("deliveryId", deliveryId)
                .getResultStream()
                .findFirst()
                .map(WorkflowRunEntity::toRun);
    }

    @Override
    public Optional<WorkflowRun> findRunByScheduledFor(UUID workflowId, Instant scheduledFor) {
        return em.createNamedQuery(WorkflowRunEntity.FIND_BY_SCHEDULED_FOR, Object[].class)
                .setParameter("workflowId", workflowId)
                .setParameter("scheduledFor", scheduledFor)
                .getResultStream()
                .findFirst()
                .map(WorkflowRunEntity::toRun);
    }

    /**
     * {@inheritDoc} The JPQL holds only the conditions of the filters present, so that PostgreSQL walks
     * {@code ix_workflow_runs_workflow_id_queued_at} or {@code ix_workflow_runs_workspace_id_queued_at} in order and
     * stops after {@code limit + 1} rows. The keyset condition repeats {@code queued_at <= :at} as a plain range the
     * index can seek to.
     */
    @Override
    public List<WorkflowRun> listRuns(RunQuery query) {
        StringBuilder jpql = new StringBuilder("SELECT ").append(WorkflowRunEntity.COLUMNS)
                .append(" FROM WorkflowRunEntity r WHERE r.workspaceId = :workspaceId");
        boolean byWorkflow = query.workflowId() != null;
        boolean byStatus = query.statuses() != null && !query.statuses().isEmpty();
        if (byWorkflow) {
            jpql.append(" AND r.workflowId = :workflowId");
        }
        if (byStatus) {
            jpql.append(" AND r.status IN :statuses");
        }
        if (query.queuedFrom() != null) {
            jpql.append(" AND r.queuedAt >= :queuedFrom");
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
        if (byStatus) {
            select.setParameter("statuses", List.copyOf(query.statuses()));
        }
        if (query.queuedFrom() != null) {
            select.setParameter("queuedFrom", query.queuedFrom());
        }
        if (query.queuedBefore() != null) {
            select.setParameter("queuedBefore", query.queuedBefore());
        }
        if (query.before() != null) {
            keyset(select, query.before());
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
                        RETURNING quota_period_start, quota_kind""")
                .setParameter(1, SqlTimestamps.of(now))
                .setParameter(2, runId)
                .setParameter(3, workspaceId)
                .getResultList();
        return rows.stream()
                .map(Object[].class::cast)
                .filter(row -> row[0] != null && row[1] != null)
                .map(row -> new TakenUnit(SqlTimestamps.toInstant(row[0]), RunConsumption.valueOf((String) row[1])))
                .findFirst();
    }

    @Override
    public RunStep recordStep(UUID runId, String nodeId, RunStep.StepStatus status, int attempt, JsonObject output,
                              String error, Instant startedAt, Instant finishedAt) {
        WorkflowRunStepEntity step = new WorkflowRunStepEntity(UUID.randomUUID(), runId, nodeId, status, attempt, output,
                error, startedAt, finishedAt);
        em.persist(step);
        em.flush();
        return step.toStep();
    }

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
        WorkflowRun run = findRunById(runId).orElseThrow();
        DeadLetterEntity deadLetter = new DeadLetterEntity(UUID.randomUUID(), run.workspaceId(), run.workflowId(),
                runId, error, lastNodeId, Math.max(1, run.attempt()), now);
        em.persist(deadLetter);
        em.flush();
        return deadLetter.toDeadLetter();
    }

    // --- dead letters ---

    @Override
    public List<DeadLetter> listDeadLetters(UUID workspaceId, Keyset before, int limit) {
        TypedQuery<Object[]> query = before == null
                ? em.createNamedQuery(DeadLetterEntity.LIST, Object[].class)
                : keyset(em.createNamedQuery(DeadLetterEntity.LIST_BEFORE, Object[].class), before);
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
        return rows.stream()
                .map(Object[].class::cast)
                .map(row -> new DeadLetter((UUID) row[0], (UUID) row[1], (UUID) row[2], (UUID) row[3], (String) row[4],
                        (String) row[5], ((Number) row[6]).intValue(), SqlTimestamps.toInstant(row[7])))
                .findFirst();
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

    // --- schedules ---

    @Override
    public Optional<Schedule> findSchedule(UUID workspaceId, UUID workflowId) {
        return em.createNamedQuery(WorkflowScheduleEntity.FIND, Object[].class)
                .setParameter("workflowId", workflowId)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .findFirst()
                .map(WorkflowScheduleEntity::toSchedule);
    }

    /**
     * {@inheritDoc} The row is keyed by the workflow and takes its workspace from the workflow row: a workflow that
     * is not in {@code schedule.workspaceId()} is an {@link IllegalArgumentException} (the service checks first). A
     * null {@code lastFiredAt} keeps the one stored (settings changes do not erase the firing history).
     */
    @Override
    public Schedule saveSchedule(Schedule schedule, Instant now) {
        // INSERT ... SELECT: parameters in a select list are not typed by the target columns, hence the casts.
        int saved = em.createNativeQuery("""
                        INSERT INTO workflow_schedules (workflow_id, workspace_id, cron, timezone, missed_firing_policy,
                            paused, next_run_at, last_fired_at, updated_at)
                        SELECT w.id, w.workspace_id, CAST(?3 AS text), CAST(?4 AS text), CAST(?5 AS text),
                               CAST(?6 AS boolean), CAST(?7 AS timestamptz), CAST(?8 AS timestamptz),
                               CAST(?9 AS timestamptz)
                        FROM workflows w WHERE w.id = ?1 AND w.workspace_id = ?2
                        ON CONFLICT (workflow_id) DO UPDATE SET
                            cron = EXCLUDED.cron,
                            timezone = EXCLUDED.timezone,
                            missed_firing_policy = EXCLUDED.missed_firing_policy,
                            paused = EXCLUDED.paused,
                            next_run_at = EXCLUDED.next_run_at,
                            last_fired_at = COALESCE(EXCLUDED.last_fired_at, workflow_schedules.last_fired_at),
                            updated_at = EXCLUDED.updated_at""")
                .setParameter(1, schedule.workflowId())
                .setParameter(2, schedule.workspaceId())
                .setParameter(3, schedule.cron())
                .setParameter(4, schedule.timezone())
                .setParameter(5, (schedule.missedFiringPolicy() == null
                        ? MissedFiringPolicy.RUN_ONCE : schedule.missedFiringPolicy()).name())
                .setParameter(6, schedule.paused())
                .setParameter(7, SqlTimestamps.of(schedule.nextRunAt()))
                .setParameter(8, SqlTimestamps.of(schedule.lastFiredAt()))
                .setParameter(9, SqlTimestamps.of(now))
                .executeUpdate();
        if (saved != 1) {
            throw new IllegalArgumentException("No workflow " + schedule.workflowId() + " in workspace "
                    + schedule.workspaceId());
        }
        return findSchedule(schedule.workspaceId(), schedule.workflowId()).orElseThrow();
    }

    @Override
    public boolean deleteSchedule(UUID workspaceId, UUID workflowId) {
        return em.createNamedQuery(WorkflowScheduleEntity.DELETE)
                .setParameter("workflowId", workflowId)
                .setParameter("workspaceId", workspaceId)
                .executeUpdate() == 1;
    }

    /**
     * {@inheritDoc} Mandatory transaction: without the caller's transaction the row locks would be released as
     * soon as this method returns, and another instance could claim the same schedules.
     */
    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public List<Schedule> claimDueSchedules(Instant now, int limit) {
        // ix_workflow_schedules_due (next_run_at) WHERE NOT paused serves the condition and the order.
        List<?> rows = em.createNativeQuery("""
                        SELECT s.workflow_id, s.workspace_id, s.cron, s.timezone, s.missed_firing_policy, s.paused,
                               s.next_run_at, s.last_fired_at
                        FROM workflow_schedules s JOIN workflows w ON w.id = s.workflow_id
                        WHERE NOT s.paused AND w.enabled AND s.next_run_at <= ?1
                        ORDER BY s.next_run_at
                        LIMIT ?2
                        FOR UPDATE OF s SKIP LOCKED""")
                .setParameter(1, SqlTimestamps.of(now))
                .setParameter(2, limit)
                .getResultList();
        return rows.stream()
                .map(Object[].class::cast)
                .map(row -> new Schedule((UUID) row[0], (UUID) row[1], (String) row[2], (String) row[3],
                        MissedFiringPolicy.valueOf((String) row[4]), (Boolean) row[5],
                        SqlTimestamps.toInstant(row[6]), SqlTimestamps.toInstant(row[7])))
                .toList();
    }

    @Override
    public void advanceSchedule(UUID workflowId, Instant nextRunAt, Instant firedAt) {
        em.createNamedQuery(WorkflowScheduleEntity.ADVANCE)
                .setParameter("nextRunAt", nextRunAt)
                .setParameter("firedAt", firedAt)
                .setParameter("workflowId", workflowId)
                .executeUpdate();
    }

    @Override
    public void recordScheduleError(UUID workflowId, String error, Instant at) {
        if (error == null) {
            em.createNamedQuery(WorkflowScheduleEntity.CLEAR_ERROR).setParameter("workflowId", workflowId).executeUpdate();
            return;
        }
        em.createNamedQuery(WorkflowScheduleEntity.RECORD_ERROR)
                .setParameter("error", error)
                .setParameter("at", at)
                .setParameter("workflowId", workflowId)
                .executeUpdate();
    }

    // --- webhooks ---

    @Override
    public Optional<WebhookTrigger> findWebhook(UUID workspaceId, UUID workflowId) {
        return em.createNamedQuery(WorkflowWebhookEntity.FIND, Object[].class)
                .setParameter("workflowId", workflowId)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .findFirst()
                .map(WorkflowWebhookEntity::toWebhook);
    }

    @Override
    public Optional<WebhookTrigger> findWebhookByPublicId(String webhookId) {
        return em.createNamedQuery(WorkflowWebhookEntity.FIND_BY_PUBLIC_ID, Object[].class)
                .setParameter("webhookId", webhookId)
                .getResultStream()
                .findFirst()
                .map(WorkflowWebhookEntity::toWebhook);
    }

    /**
     * {@inheritDoc} Like {@link #saveSchedule}, a workflow that is not in {@code workspaceId} is an
     * {@link IllegalArgumentException}. A public id already used by another workflow violates
     * {@code uk_workflow_webhooks_webhook_id} (the caller generates random ids).
     */
    @Override
    public WebhookTrigger saveWebhook(UUID workspaceId, UUID workflowId, String webhookId, String encryptedSecret,
                                      Instant now) {
        int saved = em.createNativeQuery("""
                        INSERT INTO workflow_webhooks (workflow_id, workspace_id, webhook_id, secret_encrypted, rotated_at)
                        SELECT w.id, w.workspace_id, CAST(?3 AS text), CAST(?4 AS text), CAST(?5 AS timestamptz)
                        FROM workflows w WHERE w.id = ?1 AND w.workspace_id = ?2
                        ON CONFLICT (workflow_id) DO UPDATE SET
                            webhook_id = EXCLUDED.webhook_id,
                            secret_encrypted = EXCLUDED.secret_encrypted,
                            rotated_at = EXCLUDED.rotated_at""")
                .setParameter(1, workflowId)
                .setParameter(2, workspaceId)
                .setParameter(3, webhookId)
                .setParameter(4, encryptedSecret)
                .setParameter(5, SqlTimestamps.of(now))
                .executeUpdate();
        if (saved != 1) {
            throw new IllegalArgumentException("No workflow " + workflowId + " in workspace " + workspaceId);
        }
        return findWebhook(workspaceId, workflowId).orElseThrow();
    }

    @Override
    public WebhookDelivery recordDelivery(UUID workflowId, String deliveryId, WebhookDelivery.Outcome outcome,
                                          UUID runId, int bodyBytes, Instant now) {
        WebhookDeliveryEntity delivery = new WebhookDeliveryEntity(UUID.randomUUID(), workflowId, deliveryId, now,
                outcome, runId, bodyBytes);
        em.persist(delivery);
        em.flush();
        return delivery.toDelivery();
    }

    @Override
    public List<WebhookDelivery> listDeliveries(UUID workflowId, Keyset before, int limit) {
        TypedQuery<Object[]> query = before == null
                ? em.createNamedQuery(WebhookDeliveryEntity.LIST, Object[].class)
                : keyset(em.createNamedQuery(WebhookDeliveryEntity.LIST_BEFORE, Object[].class), before);
        return query.setParameter("workflowId", workflowId)
                .setMaxResults(limit + 1)
                .getResultStream()
                .map(WebhookDeliveryEntity::toDelivery)
                .toList();
    }

    private static <T> TypedQuery<T> keyset(TypedQuery<T> query, Keyset position) {
        return query.setParameter("at", position.at()).setParameter("id", position.id());
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

    @Override
    public int pruneDeliveries(Instant cutoff, int batchSize) {
        return em.createNativeQuery("""
                        DELETE FROM webhook_deliveries WHERE id IN (
                            SELECT id FROM webhook_deliveries WHERE received_at < ?1 LIMIT ?2 FOR UPDATE SKIP LOCKED)""")
                .setParameter(1, SqlTimestamps.of(cutoff))
                .setParameter(2, batchSize)
                .executeUpdate();
    }
}
