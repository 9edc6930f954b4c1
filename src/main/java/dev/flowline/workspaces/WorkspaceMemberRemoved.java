package dev.flowline.workspaces;

import java.util.UUID;

/**
 * Fired synchronously, inside the transaction, when a member leaves or is removed. Areas holding per-member data in
 * a workspace (the connections a member shared into it) observe it and remove that data in the same transaction,
 * so nothing of the member's stays reachable.
 */
public record WorkspaceMemberRemoved(UUID workspaceId, UUID userId) {
}
