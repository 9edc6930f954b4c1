package dev.flowline.workflows;

import dev.flowline.platform.json.Fields;
import dev.flowline.platform.security.Actor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Something a person changed in a workspace's workflows: a workflow, its schedule, its webhook's secret. Fired inside
 * the transaction of the change, so an observer (the audit log) records it in the same commit. {@code before} and
 * {@code after} hold the settings that changed (a new definition shows as a new {@code definitionVersion}), never a
 * webhook secret.
 */
public record WorkflowActivity(String event, Actor actor, UUID workspaceId, String objectType, UUID objectId,
                               Map<String, Object> before, Map<String, Object> after) {

    public static WorkflowActivity created(UUID userId, Workflow workflow) {
        return new WorkflowActivity("workflow.created", Actor.user(userId), workflow.workspaceId(), "workflow",
                workflow.id(), Fields.of(), settings(workflow));
    }

    /** Replaced or restored ({@code event} {@code workflow.updated} or {@code workflow.version_restored}). */
    public static WorkflowActivity updated(String event, UUID userId, Workflow before, Workflow after) {
        Map<String, Object> was = settings(before);
        Map<String, Object> is = settings(after);
        Map<String, Object> changedBefore = new LinkedHashMap<>();
        Map<String, Object> changedAfter = new LinkedHashMap<>();
        for (String field : is.keySet()) {
            if (!Objects.equals(was.get(field), is.get(field))) {
                changedBefore.put(field, was.get(field));
                changedAfter.put(field, is.get(field));
            }
        }
        return new WorkflowActivity(event, Actor.user(userId), after.workspaceId(), "workflow", after.id(),
                changedBefore, changedAfter);
    }

    public static WorkflowActivity deleted(UUID userId, Workflow workflow) {
        return new WorkflowActivity("workflow.deleted", Actor.user(userId), workflow.workspaceId(), "workflow",
                workflow.id(), Fields.of("name", workflow.name()), Fields.of());
    }

    /** {@code event}: {@code schedule.set}, {@code schedule.paused} or {@code schedule.resumed}. */
    public static WorkflowActivity schedule(String event, UUID userId, Schedule before, Schedule after) {
        return new WorkflowActivity(event, Actor.user(userId), after.workspaceId(), "schedule", after.workflowId(),
                before == null ? Fields.of() : schedule(before), schedule(after));
    }

    public static WorkflowActivity scheduleDeleted(UUID userId, UUID workspaceId, UUID workflowId) {
        return new WorkflowActivity("schedule.deleted", Actor.user(userId), workspaceId, "schedule", workflowId,
                Fields.of(), Fields.of());
    }

    /** The webhook got a new signing secret (its first, with a new workflow, or a rotation): never the secret. */
    public static WorkflowActivity webhookSecretRotated(UUID userId, UUID workspaceId, UUID workflowId) {
        return new WorkflowActivity("webhook.secret_rotated", Actor.user(userId), workspaceId, "webhook", workflowId,
                Fields.of(), Fields.of());
    }

    private static Map<String, Object> settings(Workflow workflow) {
        return Fields.of("name", workflow.name(), "description", workflow.description(), "enabled", workflow.enabled(),
                "trigger", workflow.triggerType(), "definitionVersion", workflow.currentVersion(),
                "concurrencyLimit", workflow.concurrencyLimit(), "errorWorkflowId", workflow.errorWorkflowId(),
                "retryPolicy", String.valueOf(workflow.retryPolicy()));
    }

    private static Map<String, Object> schedule(Schedule schedule) {
        return Fields.of("cron", schedule.cron(), "timezone", schedule.timezone(), "missedFiringPolicy",
                schedule.missedFiringPolicy(), "paused", schedule.paused());
    }
}
