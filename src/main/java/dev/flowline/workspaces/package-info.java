/**
 * Workspaces: members and roles, invitations and seats, ownership offers, plan tiers, run quotas and billing cycles, and
 * {@link dev.flowline.workspaces.WorkspaceAccess}, the tenancy gate every workspace-scoped operation starts with.
 * Uses {@code users} and {@code platform}; used by support, workflows, runs, triggers, engine (and connections,
 * billing). Fires {@code WorkspaceMemberRemoved}, {@code WorkspaceDeleting} and {@code WorkspaceOwnerChanged} (created, or
 * an ownership offer accepted) for higher areas to observe.
 */
package dev.flowline.workspaces;
