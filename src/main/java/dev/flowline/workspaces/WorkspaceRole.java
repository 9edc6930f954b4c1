package dev.flowline.workspaces;

/**
 * Roles in a workspace, strongest first. Owners do everything and are the only ones who delete or transfer;
 * admins manage members and invitations; members build and run workflows; viewers read.
 */
public enum WorkspaceRole {
    OWNER(4),
    ADMIN(3),
    MEMBER(2),
    VIEWER(1);

    private final int rank;

    WorkspaceRole(int rank) {
        this.rank = rank;
    }

    public boolean atLeast(WorkspaceRole required) {
        return rank >= required.rank;
    }
}
