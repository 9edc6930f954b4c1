package dev.flowline.workflows;

import dev.flowline.platform.pagination.Keyset;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import static dev.flowline.testing.InMemoryRows.micros;
import static dev.flowline.testing.InMemoryRows.pageAfter;

/**
 * {@link WorkflowRepository} in memory, for service and resource tests without a database. Mirrors
 * {@code JpaWorkflowRepository} where callers can tell the difference: a workflow is read only with its workspace
 * (another workspace finds nothing by id); workflows are listed oldest first by (created_at, id) and versions by
 * number descending, in keyset pages of {@code limit + 1} rows; times are rounded to microseconds, ties of time
 * broken in PostgreSQL's uuid order ({@link dev.flowline.testing.InMemoryRows}).
 *
 * <p>Deleting a workflow removes its versions here and then fires {@link InMemoryWorkflowDeleted}, synchronously, for
 * the doubles above this one (schedule, webhook, runs, dead letters, deliveries) to drop their rows, as the foreign
 * keys' {@code ON DELETE CASCADE} does; this double never knows them. The event is fired outside this double's lock,
 * so that a double above, which calls this one under its own lock, cannot deadlock with it.
 *
 * <p>Not transactional: a write takes effect at once and a rollback does not undo it. Every method is synchronized,
 * which gives the atomicity of the single statements the JPA repository runs. Test helpers: {@link #clear()}, and
 * {@link #exists} for the doubles above that check a foreign key.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class InMemoryWorkflowRepository implements WorkflowRepository {

    private record VersionKey(UUID workflowId, int number) {
    }

    @Inject
    Event<InMemoryWorkflowDeleted> deleted;

    private final Map<UUID, Workflow> workflows = new LinkedHashMap<>();
    private final Map<VersionKey, WorkflowVersion> versions = new LinkedHashMap<>();

    // --- test helpers ---

    /** Forgets every workflow and version (without firing {@link InMemoryWorkflowDeleted}: clear the others too). */
    public synchronized void clear() {
        workflows.clear();
        versions.clear();
    }

    /** Whether the workflow exists, in any workspace: what a foreign key to {@code workflows} sees. */
    public synchronized boolean exists(UUID workflowId) {
        return workflows.containsKey(workflowId);
    }

    // --- workflows and versions ---

    @Override
    public synchronized Workflow create(UUID workspaceId, WorkflowSettings settings, UUID createdBy, Instant now) {
        Objects.requireNonNull(settings.definition(), "definition");
        Instant at = micros(now);
        // version 1: what EclipseLink writes into a numeric @Version column on insert
        Workflow workflow = new Workflow(UUID.randomUUID(), workspaceId, settings.name(), settings.description(),
                settings.enabled(), settings.triggerType(), 1, settings.concurrencyLimit(), retry(settings),
                settings.errorWorkflowId(), at, at, 1);
        workflows.put(workflow.id(), workflow);
        putVersion(new WorkflowVersion(workflow.id(), 1, settings.definition(), createdBy, at));
        return workflow;
    }

    @Override
    public synchronized Optional<Workflow> find(UUID workspaceId, UUID workflowId) {
        return Optional.ofNullable(workflows.get(workflowId)).filter(w -> w.workspaceId().equals(workspaceId));
    }

    /** One lock for the whole map: nothing else can delete meanwhile, and no transaction outlives the call. */
    @Override
    public synchronized boolean holdIfExists(UUID workspaceId, UUID workflowId) {
        return find(workspaceId, workflowId).isPresent();
    }

    @Override
    public synchronized List<Workflow> list(UUID workspaceId, Keyset after, int limit) {
        return pageAfter(workflows.values().stream().filter(w -> w.workspaceId().equals(workspaceId)),
                Workflow::createdAt, Workflow::id, after, limit);
    }

    @Override
    public synchronized Optional<Workflow> update(UUID workspaceId, UUID workflowId, WorkflowSettings settings,
                                                  long expectedVersion, UUID updatedBy, Instant now) {
        Objects.requireNonNull(settings.definition(), "definition");
        Optional<Workflow> found = find(workspaceId, workflowId).filter(w -> w.version() == expectedVersion);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Workflow current = found.get();
        Instant at = micros(now);
        // JSON values compare as jsonb does: key order and formatting do not matter
        boolean changed = !settings.definition().equals(currentDefinition(current));
        int number = changed ? current.currentVersion() + 1 : current.currentVersion();
        Workflow updated = new Workflow(current.id(), current.workspaceId(), settings.name(), settings.description(),
                settings.enabled(), settings.triggerType(), number, settings.concurrencyLimit(), retry(settings),
                settings.errorWorkflowId(), current.createdAt(), at, current.version() + 1);
        workflows.put(workflowId, updated);
        if (changed) {
            putVersion(new WorkflowVersion(workflowId, number, settings.definition(), updatedBy, at));
        }
        return Optional.of(updated);
    }

    /** {@inheritDoc} Cascades to the doubles above by {@link InMemoryWorkflowDeleted}, once this one let go. */
    @Override
    public boolean delete(UUID workspaceId, UUID workflowId) {
        synchronized (this) {
            if (find(workspaceId, workflowId).isEmpty()) {
                return false;
            }
            workflows.remove(workflowId);
            versions.keySet().removeIf(key -> key.workflowId().equals(workflowId));
            // ON DELETE SET NULL of fk_workflows_error_workflow_id
            workflows.replaceAll((id, w) -> workflowId.equals(w.errorWorkflowId()) ? withoutErrorWorkflow(w) : w);
        }
        deleted.fire(new InMemoryWorkflowDeleted(workflowId));
        return true;
    }

    @Override
    public synchronized List<WorkflowVersion> listVersions(UUID workflowId, Integer beforeNumber, int limit) {
        return versions.values().stream()
                .filter(v -> v.workflowId().equals(workflowId))
                .filter(v -> beforeNumber == null || v.number() < beforeNumber)
                .sorted(Comparator.comparingInt(WorkflowVersion::number).reversed())
                .limit(limit + 1L)
                .toList();
    }

    @Override
    public synchronized Optional<WorkflowVersion> findVersion(UUID workflowId, int number) {
        return Optional.ofNullable(versions.get(new VersionKey(workflowId, number)));
    }

    /**
     * {@inheritDoc} Like the JPA repository, the version number and the trigger type move; the other settings stay.
     */
    @Override
    public synchronized Optional<Workflow> restoreVersion(UUID workspaceId, UUID workflowId, int number,
                                                          String triggerType, Long expectedVersion, UUID restoredBy,
                                                          Instant now) {
        Optional<Workflow> found = find(workspaceId, workflowId);
        Optional<WorkflowVersion> copied = found.flatMap(w -> findVersion(w.id(), number));
        if (copied.isEmpty() || (expectedVersion != null && found.get().version() != expectedVersion)) {
            return Optional.empty();
        }
        Workflow current = found.get();
        Instant at = micros(now);
        Workflow restored = new Workflow(current.id(), current.workspaceId(), current.name(), current.description(),
                current.enabled(), triggerType, current.currentVersion() + 1, current.concurrencyLimit(),
                current.retryPolicy(), current.errorWorkflowId(), current.createdAt(), at, current.version() + 1);
        workflows.put(workflowId, restored);
        putVersion(new WorkflowVersion(workflowId, restored.currentVersion(), copied.get().definition(), restoredBy,
                at));
        return Optional.of(restored);
    }

    private static Workflow withoutErrorWorkflow(Workflow w) {
        return new Workflow(w.id(), w.workspaceId(), w.name(), w.description(), w.enabled(), w.triggerType(),
                w.currentVersion(), w.concurrencyLimit(), w.retryPolicy(), null, w.createdAt(), w.updatedAt(),
                w.version());
    }

    private void putVersion(WorkflowVersion version) {
        versions.put(new VersionKey(version.workflowId(), version.number()), version);
    }

    private JsonObject currentDefinition(Workflow workflow) {
        return versions.get(new VersionKey(workflow.id(), workflow.currentVersion())).definition();
    }

    private static RetryPolicy retry(WorkflowSettings settings) {
        return settings.retryPolicy() == null ? RetryPolicy.DEFAULT : settings.retryPolicy();
    }
}
