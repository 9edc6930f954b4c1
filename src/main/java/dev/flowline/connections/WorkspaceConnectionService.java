package dev.flowline.connections;

import dev.flowline.connections.ConnectionErrors.AlreadySharedException;
import dev.flowline.connections.ConnectionErrors.ConnectionNotFoundException;
import dev.flowline.connections.ConnectionErrors.NotTheSharerException;
import dev.flowline.connections.ConnectionErrors.NotYourConnectionException;
import dev.flowline.connections.ConnectionErrors.SharingNotInPlanException;
import dev.flowline.workspaces.PlanCatalog;
import dev.flowline.workspaces.WorkspaceAccess;
import dev.flowline.workspaces.WorkspaceRepository;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Sharing personal connections into workspaces. Members (not viewers) share their own connections, when the
 * workspace's plan includes shared connections; everyone in the workspace sees them (never their tokens); the
 * member who shared one, or an admin, removes it.
 */
@ApplicationScoped
@Transactional
public class WorkspaceConnectionService {

    @Inject
    WorkspaceConnectionRepository connections;

    @Inject
    UserOAuthTokenRepository tokens;

    @Inject
    WorkspaceAccess access;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    PlanCatalog plans;

    @Inject
    Event<ConnectionActivity> activity;

    @Inject
    Clock clock;

    public SharedConnection share(UUID workspaceId, UUID callerId, UUID tokenId, String name) {
        access.require(workspaceId, callerId, WorkspaceRole.MEMBER);
        boolean allowed = workspaces.getPlan(workspaceId).map(tier -> plans.limits(tier).sharedConnections())
                .orElse(false);
        if (!allowed) {
            throw new SharingNotInPlanException();
        }
        Connection token = tokens.findPersonal(tokenId, callerId).orElseThrow(NotYourConnectionException::new);
        String shownName = name != null && !name.isBlank() ? name.strip()
                : token.provider() + (token.accountEmail() == null ? "" : " (" + token.accountEmail() + ")");
        SharedConnection shared = connections.create(workspaceId, callerId, tokenId, shownName, clock.instant())
                .orElseThrow(AlreadySharedException::new);
        activity.fire(ConnectionActivity.shared(callerId, shared));
        return shared;
    }

    /** The workspace's connections, or only those {@code sharedBy} shared when it is given. */
    public List<SharedConnection> list(UUID workspaceId, UUID callerId, Optional<UUID> sharedBy) {
        access.require(workspaceId, callerId, WorkspaceRole.VIEWER);
        return sharedBy.map(userId -> connections.listByWorkspaceCreator(workspaceId, userId))
                .orElseGet(() -> connections.listByWorkspace(workspaceId));
    }

    public void unshare(UUID workspaceId, UUID callerId, UUID connectionId) {
        WorkspaceRole role = access.require(workspaceId, callerId, WorkspaceRole.VIEWER);
        SharedConnection connection = connections.findInWorkspace(workspaceId, connectionId)
                .orElseThrow(ConnectionNotFoundException::new);
        if (!connection.ownerUserId().equals(callerId) && !role.atLeast(WorkspaceRole.ADMIN)) {
            throw new NotTheSharerException();
        }
        connections.deleteById(connectionId);
        tokens.recomputeShared(connection.ownerUserId());
        activity.fire(ConnectionActivity.unshared(callerId, connection));
    }
}
