package dev.flowline.workflows;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.errors.PreconditionRequiredException;
import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.pagination.Page;
import dev.flowline.workflows.WorkflowErrors.StaleWorkflowException;
import dev.flowline.workflows.WorkflowErrors.VersionNotFoundException;
import dev.flowline.workflows.WorkflowErrors.WorkflowNotFoundException;
import dev.flowline.workflows.definition.CallParams;
import dev.flowline.workflows.definition.DefinitionValidator;
import dev.flowline.workflows.definition.Node;
import dev.flowline.workflows.definition.WorkflowDefinition;
import dev.flowline.workspaces.WorkspaceAccess;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Workflows of a workspace: members create, edit (with If-Match), delete and restore; viewers read. Every saved
 * definition is validated and kept as an immutable numbered version.
 */
@ApplicationScoped
@Transactional
public class WorkflowService {

    @Inject
    WorkflowRepository workflows;

    @Inject
    ScheduleRepository schedules;

    @Inject
    WebhookRepository hooks;

    @Inject
    WorkspaceAccess access;

    @Inject
    WebhookService webhooks;

    @Inject
    Event<WorkflowActivity> activity;

    @Inject
    Clock clock;

    /** Checked when a definition is saved; the engine checks it again while templates expand. */
    @Inject
    @ConfigProperty(name = "flowline.engine.max-templates-per-node", defaultValue = "1000")
    int maxTemplatesPerNode;

    public WorkflowView create(UUID workspaceId, UUID userId, WorkflowDraft draft) {
        access.require(workspaceId, userId, WorkspaceRole.MEMBER);
        Workflow workflow = workflows.create(workspaceId, settings(workspaceId, null, draft), userId, clock.instant());
        activity.fire(WorkflowActivity.created(userId, workflow));
        return view(workflow, webhooks.ensureFor(workflow, userId));
    }

    public Page<Workflow> list(UUID workspaceId, UUID userId, String cursor, Integer limit) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        int size = Keyset.limit(limit);
        return Keyset.page(workflows.list(workspaceId, Keyset.decode(cursor), size), size,
                w -> new Keyset(w.createdAt(), w.id()));
    }

    public WorkflowView get(UUID workspaceId, UUID workflowId, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        return view(find(workspaceId, workflowId), Optional.empty());
    }

    /** Replaces the workflow; {@code expectedVersion} (If-Match) is required so that no edit is lost. */
    public WorkflowView update(UUID workspaceId, UUID workflowId, UUID userId, WorkflowDraft draft, Long expectedVersion) {
        access.require(workspaceId, userId, WorkspaceRole.MEMBER);
        Workflow before = find(workspaceId, workflowId); // 404 before 428 and 412
        if (expectedVersion == null) {
            throw new PreconditionRequiredException("Send If-Match with the ETag of the workflow you edited.");
        }
        WorkflowSettings settings = settings(workspaceId, workflowId, draft);
        Workflow updated = workflows.update(workspaceId, workflowId, settings, expectedVersion, userId, clock.instant())
                .orElseThrow(StaleWorkflowException::new);
        activity.fire(WorkflowActivity.updated("workflow.updated", userId, before, updated));
        return afterTriggerChange(updated, userId);
    }

    public void delete(UUID workspaceId, UUID workflowId, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.MEMBER);
        Workflow workflow = find(workspaceId, workflowId);
        if (!workflows.delete(workspaceId, workflowId)) {
            throw new WorkflowNotFoundException();
        }
        activity.fire(WorkflowActivity.deleted(userId, workflow));
    }

    public Page<WorkflowVersion> versions(UUID workspaceId, UUID workflowId, UUID userId, Integer before, Integer limit) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        find(workspaceId, workflowId);
        int size = Keyset.limit(limit);
        var rows = workflows.listVersions(workflowId, before, size);
        if (rows.size() <= size) {
            return new Page<>(rows, null);
        }
        var items = rows.subList(0, size);
        return new Page<>(List.copyOf(items), String.valueOf(items.get(size - 1).number()));
    }

    public WorkflowVersion version(UUID workspaceId, UUID workflowId, int number, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        find(workspaceId, workflowId);
        return workflows.findVersion(workflowId, number).orElseThrow(() -> new VersionNotFoundException(number));
    }

    /** Makes a copy of an old version the current one; history is never rewritten. */
    public WorkflowView restore(UUID workspaceId, UUID workflowId, int number, UUID userId, Long expectedVersion) {
        access.require(workspaceId, userId, WorkspaceRole.MEMBER);
        Workflow before = find(workspaceId, workflowId);
        WorkflowVersion old = workflows.findVersion(workflowId, number).orElseThrow(() -> new VersionNotFoundException(number));
        String triggerType = DefinitionValidator.validate(old.definition()).trigger().type().wireName();
        Workflow restored = workflows.restoreVersion(workspaceId, workflowId, number, triggerType, expectedVersion, userId,
                        clock.instant())
                .orElseThrow(StaleWorkflowException::new);
        activity.fire(WorkflowActivity.updated("workflow.version_restored", userId, before, restored));
        return afterTriggerChange(restored, userId);
    }

    /** A schedule only lives with a schedule trigger; a webhook trigger gets its webhook (secret shown once). */
    private WorkflowView afterTriggerChange(Workflow workflow, UUID userId) {
        if (!ScheduleService.TRIGGER.equals(workflow.triggerType())) {
            schedules.deleteSchedule(workflow.workspaceId(), workflow.id());
        }
        return view(workflow, webhooks.ensureFor(workflow, userId));
    }

    Workflow find(UUID workspaceId, UUID workflowId) {
        return workflows.find(workspaceId, workflowId).orElseThrow(WorkflowNotFoundException::new);
    }

    private WorkflowView view(Workflow workflow, Optional<String> newSecret) {
        WorkflowVersion current = workflows.findVersion(workflow.id(), workflow.currentVersion()).orElseThrow();
        return new WorkflowView(workflow, current.definition(),
                hooks.findWebhook(workflow.workspaceId(), workflow.id()), newSecret);
    }

    /**
     * The workflows that {@code flow.call} and {@code flow.forEach} nodes start must be others of the workspace
     * (checked again when the node runs: one may be deleted or disabled meanwhile). A call chain that comes back to
     * a workflow is refused when it runs, since it can close through workflows saved later.
     */
    private void checkCalledWorkflows(UUID workspaceId, UUID workflowId, WorkflowDefinition definition) {
        for (Node node : definition.nodes()) {
            Optional<UUID> target = CallParams.workflowId(node);
            String field = "definition.nodes[" + node.id() + "].params.workflowId";
            if (target.isPresent() && target.get().equals(workflowId)) {
                throw new InvalidInputException("Node " + node.id() + " calls the workflow itself.",
                        new FieldError(field, "must name another workflow of the workspace"));
            }
            // Another workspace's workflow is refused exactly like one that does not exist: nothing says it does.
            if (target.isPresent() && workflows.find(workspaceId, target.get()).isEmpty()) {
                throw new InvalidInputException("Node " + node.id() + " names a workflow that is not one of this"
                        + " workspace.", new FieldError(field, "no such workflow in this workspace"));
            }
        }
    }

    /** {@code workflowId}: the workflow being replaced, null for a new one. */
    private WorkflowSettings settings(UUID workspaceId, UUID workflowId, WorkflowDraft draft) {
        RetryPolicy retry = draft.retryPolicy();
        if (retry.maxDelaySeconds() < retry.initialDelaySeconds()) {
            throw new InvalidInputException("The retry policy's maxDelaySeconds is below its initialDelaySeconds.",
                    new FieldError("retryPolicy.maxDelaySeconds", "must be at least initialDelaySeconds"));
        }
        UUID errorWorkflowId = draft.errorWorkflowId();
        if (errorWorkflowId != null && errorWorkflowId.equals(workflowId)) {
            throw new InvalidInputException("A workflow cannot be its own error workflow.",
                    new FieldError("errorWorkflowId", "must name another workflow of the workspace"));
        }
        // Another workspace's workflow is refused exactly like one that does not exist: nothing says it does. Held
        // until the write commits, so a delete meanwhile waits for it (then clears the reference) instead of the
        // write failing on the foreign key.
        if (errorWorkflowId != null && !workflows.holdIfExists(workspaceId, errorWorkflowId)) {
            throw new InvalidInputException("The error workflow is not a workflow of this workspace.",
                    new FieldError("errorWorkflowId", "no such workflow in this workspace"));
        }
        WorkflowDefinition definition = DefinitionValidator.validate(draft.definition(), maxTemplatesPerNode);
        checkCalledWorkflows(workspaceId, workflowId, definition);
        return new WorkflowSettings(draft.name().strip(), draft.description(), draft.enabled(), draft.concurrencyLimit(),
                retry, errorWorkflowId, definition.toJson(), definition.trigger().type().wireName());
    }
}
