package dev.flowline.workflows;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.ejb.EJBTransactionRequiredException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static dev.flowline.testing.InMemoryRows.micros;
import static dev.flowline.testing.InMemoryRows.oldestFirst;

/**
 * {@link ScheduleRepository} in memory, beside {@link InMemoryWorkflowRepository} (a schedule belongs to a workflow of
 * its workspace). Mirrors {@code JpaScheduleRepository} where callers can tell the difference:
 * <ul>
 *   <li>a schedule is read only with its workspace, and saved only for a workflow of that workspace;</li>
 *   <li>{@link #claimDueSchedules} answers only due (next run at or before now), unpaused schedules of enabled
 *       workflows, oldest first; it needs the caller's transaction, and a schedule claimed by a transaction stays
 *       invisible to other transactions until that one completes ({@code FOR UPDATE SKIP LOCKED});</li>
 *   <li>deleting the workflow deletes its schedule ({@link InMemoryWorkflowDeleted}, the foreign key's cascade).</li>
 * </ul>
 * Times are rounded to microseconds, ties of time broken in PostgreSQL's uuid order
 * ({@link dev.flowline.testing.InMemoryRows}).
 *
 * <p>Not transactional: a write takes effect at once and a rollback does not undo it. Every method is synchronized.
 * Test helpers: {@link #clear()} and {@link #makeDue}.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class InMemoryScheduleRepository implements ScheduleRepository {

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Inject
    InMemoryWorkflowRepository workflows;

    private final Map<UUID, Schedule> schedules = new LinkedHashMap<>();
    /** Schedules claimed by a transaction still running: workflow id to the transaction's key. */
    private final Map<UUID, Object> claims = new HashMap<>();
    private final Set<Object> claimingTransactions = new HashSet<>();

    // --- test helpers ---

    /** Forgets every schedule and claim. */
    public synchronized void clear() {
        schedules.clear();
        claims.clear();
        claimingTransactions.clear();
    }

    /** Makes the workflow's schedule next fire at {@code nextRunAt} (in the past: due now). */
    public synchronized Schedule makeDue(UUID workflowId, Instant nextRunAt) {
        Schedule s = Optional.ofNullable(schedules.get(workflowId))
                .orElseThrow(() -> new IllegalArgumentException("Workflow " + workflowId + " has no schedule"));
        Schedule due = new Schedule(s.workflowId(), s.workspaceId(), s.cron(), s.timezone(), s.missedFiringPolicy(),
                s.paused(), micros(Objects.requireNonNull(nextRunAt, "nextRunAt")), s.lastFiredAt());
        schedules.put(workflowId, due);
        return due;
    }

    /** The workflow's deletion cascades to its schedule (and releases a claim on it). */
    synchronized void onWorkflowDeleted(@Observes InMemoryWorkflowDeleted deleted) {
        schedules.remove(deleted.workflowId());
        claims.remove(deleted.workflowId());
    }

    // --- schedules ---

    @Override
    public synchronized Optional<Schedule> findSchedule(UUID workspaceId, UUID workflowId) {
        return Optional.ofNullable(schedules.get(workflowId)).filter(s -> s.workspaceId().equals(workspaceId));
    }

    /**
     * {@inheritDoc} As in the JPA repository: a workflow not in {@code schedule.workspaceId()} is an
     * {@link IllegalArgumentException}; a null policy is RUN_ONCE; a null {@code lastFiredAt} keeps the stored one.
     */
    @Override
    public synchronized Schedule saveSchedule(Schedule schedule, Instant now) {
        Workflow workflow = workflows.find(schedule.workspaceId(), schedule.workflowId())
                .orElseThrow(() -> new IllegalArgumentException("No workflow " + schedule.workflowId()
                        + " in workspace " + schedule.workspaceId()));
        Instant lastFiredAt = schedule.lastFiredAt() != null ? micros(schedule.lastFiredAt())
                : Optional.ofNullable(schedules.get(workflow.id())).map(Schedule::lastFiredAt).orElse(null);
        Schedule saved = new Schedule(workflow.id(), workflow.workspaceId(), schedule.cron(), schedule.timezone(),
                schedule.missedFiringPolicy() == null ? MissedFiringPolicy.RUN_ONCE : schedule.missedFiringPolicy(),
                schedule.paused(), micros(schedule.nextRunAt()), lastFiredAt);
        schedules.put(workflow.id(), saved);
        return saved;
    }

    @Override
    public synchronized boolean deleteSchedule(UUID workspaceId, UUID workflowId) {
        if (findSchedule(workspaceId, workflowId).isEmpty()) {
            return false;
        }
        schedules.remove(workflowId);
        return true;
    }

    /**
     * {@inheritDoc} Outside a transaction this throws {@link EJBTransactionRequiredException}, as the JPA
     * repository's MANDATORY transaction attribute does. A schedule claimed here is skipped by other transactions
     * until the claiming one commits or rolls back; the claiming transaction may claim it again.
     */
    @Override
    public synchronized List<Schedule> claimDueSchedules(Instant now, int limit, Collection<UUID> passedOver) {
        Object transaction = transactions.getTransactionKey();
        if (transaction == null) {
            throw new EJBTransactionRequiredException("claimDueSchedules needs the caller's transaction: "
                    + "the claimed schedules stay locked until it completes");
        }
        Instant at = micros(now);
        List<Schedule> due = schedules.values().stream()
                .filter(s -> !s.paused() && s.nextRunAt() != null && !s.nextRunAt().isAfter(at))
                .filter(s -> workflows.find(s.workspaceId(), s.workflowId()).map(Workflow::enabled).orElse(false))
                .filter(s -> claims.getOrDefault(s.workflowId(), transaction).equals(transaction))
                .filter(s -> !passedOver.contains(s.workflowId()))
                .sorted(oldestFirst(Schedule::nextRunAt, Schedule::workflowId))
                .limit(limit)
                .toList();
        if (!due.isEmpty() && claimingTransactions.add(transaction)) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    releaseClaims(transaction);
                }
            });
        }
        due.forEach(s -> claims.put(s.workflowId(), transaction));
        return due;
    }

    private synchronized void releaseClaims(Object transaction) {
        claims.values().removeIf(transaction::equals);
        claimingTransactions.remove(transaction);
    }

    @Override
    public synchronized void advanceSchedule(UUID workflowId, Instant nextRunAt, Instant firedAt) {
        Schedule s = schedules.get(workflowId);
        if (s != null) {
            schedules.put(workflowId, new Schedule(s.workflowId(), s.workspaceId(), s.cron(), s.timezone(),
                    s.missedFiringPolicy(), s.paused(), micros(nextRunAt), micros(firedAt), s.lastError(),
                    s.lastErrorAt()));
        }
    }

    @Override
    public synchronized void recordScheduleError(UUID workflowId, String error, Instant at) {
        Schedule s = schedules.get(workflowId);
        if (s != null) {
            schedules.put(workflowId, new Schedule(s.workflowId(), s.workspaceId(), s.cron(), s.timezone(),
                    s.missedFiringPolicy(), s.paused(), s.nextRunAt(), s.lastFiredAt(), error,
                    error == null ? null : micros(at)));
        }
    }
}
