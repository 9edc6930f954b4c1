package dev.flowline.workspaces;

import java.util.UUID;

/**
 * A workspace has a new owner: it was created, or a member accepted the offer of its ownership (never when an
 * offer is only made). Fired inside the transaction of the
 * change, so an observer (billing: the owner's subscription sets the workspace's tier) acts in the same commit.
 */
public record WorkspaceOwnerChanged(UUID workspaceId, UUID ownerId) {
}
