package dev.flowline.workspaces;

import java.util.UUID;

/**
 * Fired synchronously, inside the transaction, just before a workspace is deleted: observers stop what runs on
 * its behalf (schedules, webhooks). Its rows go with it by cascade.
 */
public record WorkspaceDeleting(UUID workspaceId) {
}
