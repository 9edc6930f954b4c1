package dev.flowline.workflows.jpa;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.persistence.KeysetParameters;
import dev.flowline.workflows.RetryPolicy;
import dev.flowline.workflows.Workflow;
import dev.flowline.workflows.WorkflowRepository;
import dev.flowline.workflows.WorkflowSettings;
import dev.flowline.workflows.WorkflowVersion;
import jakarta.ejb.Stateless;
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
 * stale managed entity after a bulk update in the same transaction); changes are guarded JPQL bulk updates that hold
 * the workflow's row lock until commit, so concurrent edits and restores take distinct version numbers.
 */
@Stateless
public class JpaWorkflowRepository implements WorkflowRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

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
    public boolean holdIfExists(UUID workspaceId, UUID workflowId) {
        // KEY SHARE: what a foreign key check takes; a delete waits for it, an update of the workflow does not
        return !em.createNativeQuery("SELECT 1 FROM workflows WHERE id = ?1 AND workspace_id = ?2 FOR KEY SHARE")
                .setParameter(1, workflowId)
                .setParameter(2, workspaceId)
                .getResultList().isEmpty();
    }

    @Override
    public List<Workflow> list(UUID workspaceId, Keyset after, int limit) {
        TypedQuery<Object[]> query = after == null
                ? em.createNamedQuery(WorkflowEntity.LIST, Object[].class)
                : KeysetParameters.bind(em.createNamedQuery(WorkflowEntity.LIST_AFTER, Object[].class), after);
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
                .setParameter("errorWorkflowId", settings.errorWorkflowId())
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
}
