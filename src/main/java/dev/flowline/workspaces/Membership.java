package dev.flowline.workspaces;

/** A workspace seen by one of its members. */
public record Membership(Workspace workspace, WorkspaceRole role) {
}
