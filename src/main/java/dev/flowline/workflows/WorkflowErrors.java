package dev.flowline.workflows;

import dev.flowline.platform.errors.ConflictException;
import dev.flowline.platform.errors.PreconditionFailedException;
import dev.flowline.platform.errors.ResourceNotFoundException;

/** The typed errors of workflows, their versions and their trigger settings (schedule, webhook). */
public final class WorkflowErrors {

    private WorkflowErrors() {
    }

    public static final class WorkflowNotFoundException extends ResourceNotFoundException {
        public WorkflowNotFoundException() {
            super("workflow-not-found", "No such workflow", "This workspace has no such workflow.");
        }
    }

    public static final class VersionNotFoundException extends ResourceNotFoundException {
        public VersionNotFoundException(int number) {
            super("version-not-found", "No such version", "The workflow has no version " + number + ".");
        }
    }

    public static final class WebhookNotFoundException extends ResourceNotFoundException {
        public WebhookNotFoundException() {
            super("webhook-not-found", "No such webhook", "No workflow listens at this webhook URL.");
        }
    }

    public static final class StaleWorkflowException extends PreconditionFailedException {
        public StaleWorkflowException() {
            super("stale-version", "Stale version", "The workflow changed since you read it (If-Match). Read it again.");
        }
    }

    public static final class WorkflowDisabledException extends ConflictException {
        public WorkflowDisabledException() {
            super("workflow-disabled", "Workflow disabled", "This workflow is disabled: enable it to run it.");
        }
    }

    public static final class WrongTriggerException extends ConflictException {
        public WrongTriggerException(String needed) {
            super("wrong-trigger", "Wrong trigger", "This needs a workflow whose trigger node is " + needed + ".");
        }
    }
}
