package dev.flowline.workflows;

import dev.flowline.platform.pagination.Keyset;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Workflows and their immutable numbered versions. Implemented by {@code JpaWorkflowRepository} on PostgreSQL and by
 * test doubles. Reads of workspace-owned rows take the workspace id, so a row of another workspace is never found by
 * id alone. Deleting a workflow removes, by the schema's cascade, everything that hangs off it (versions, schedule,
 * webhook, runs and their deliveries).
 */
public interface WorkflowRepository {

    /** Stores the workflow and its definition as version 1. */
    Workflow create(UUID workspaceId, WorkflowSettings settings, UUID createdBy, Instant now);

    Optional<Workflow> find(UUID workspaceId, UUID workflowId);

    /**
     * Whether the workflow exists in the workspace; if it does, it cannot be deleted before the calling transaction
     * ends (its row is share-locked), so a reference to it written in that transaction stays valid.
     */
    boolean holdIfExists(UUID workspaceId, UUID workflowId);

    /** Workflows of a workspace ordered by (created_at, id), {@code limit + 1} rows after {@code after}. */
    List<Workflow> list(UUID workspaceId, Keyset after, int limit);

    /**
     * Replaces the settings if the workflow is still at {@code expectedVersion}; stores the definition as a new
     * numbered version when it differs from the current one. Empty when the workflow is gone or the version stale.
     */
    Optional<Workflow> update(UUID workspaceId, UUID workflowId, WorkflowSettings settings, long expectedVersion,
                              UUID updatedBy, Instant now);

    /** Deletes the workflow with its versions, runs, schedule and webhook (cascade). */
    boolean delete(UUID workspaceId, UUID workflowId);

    /** Versions newest first, {@code limit + 1} rows below {@code beforeNumber} (null: from the newest). */
    List<WorkflowVersion> listVersions(UUID workflowId, Integer beforeNumber, int limit);

    Optional<WorkflowVersion> findVersion(UUID workflowId, int number);

    /**
     * Makes a copy of version {@code number} the new current version (history is never rewritten) with its trigger
     * type {@code triggerType}, if the workflow is still at {@code expectedVersion} (null: any). Empty when gone,
     * stale, or the version does not exist.
     */
    Optional<Workflow> restoreVersion(UUID workspaceId, UUID workflowId, int number, String triggerType,
                                      Long expectedVersion, UUID restoredBy, Instant now);
}
