package dev.flowline.workspaces;

import dev.flowline.workspaces.WorkspaceErrors.NotAMemberException;
import dev.flowline.workspaces.WorkspaceErrors.RoleRequiredException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.UUID;

/**
 * The one tenancy gate: every workspace-scoped operation of every area asks it first. A non-member gets 403
 * whether or not the workspace exists.
 */
@ApplicationScoped
public class WorkspaceAccess {

    @Inject
    WorkspaceRepository workspaces;

    /** The caller's role, at least {@code minimum}; 403 otherwise. */
    public WorkspaceRole require(UUID workspaceId, UUID userId, WorkspaceRole minimum) {
        WorkspaceRole role = workspaces.findRole(workspaceId, userId).orElseThrow(NotAMemberException::new);
        if (!role.atLeast(minimum)) {
            throw new RoleRequiredException(minimum);
        }
        return role;
    }
}
