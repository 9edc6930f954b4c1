package dev.flowline.connections;

import dev.flowline.workspaces.WorkspaceDeleting;
import dev.flowline.workspaces.WorkspaceMemberRemoved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Keeps shares in step with membership, inside the transaction that changes it: a member who leaves or is removed
 * takes the connections and credentials they shared into that workspace with them, and a deleted workspace releases
 * every share. The owners' {@code is_shared} flags of connections are recomputed in the same transaction.
 */
@ApplicationScoped
public class MemberConnectionsCleanup {

    @Inject
    WorkspaceConnectionRepository connections;

    @Inject
    UserOAuthTokenRepository tokens;

    @Inject
    WorkspaceCredentialRepository credentials;

    void onMemberRemoved(@Observes WorkspaceMemberRemoved event) {
        if (connections.deleteByWorkspaceAndOwner(event.workspaceId(), event.userId()) > 0) {
            tokens.recomputeShared(event.userId());
        }
        credentials.deleteByWorkspaceAndOwner(event.workspaceId(), event.userId());
    }

    void onWorkspaceDeleting(@Observes WorkspaceDeleting event) {
        connections.deleteByWorkspace(event.workspaceId()).forEach(tokens::recomputeShared);
        credentials.deleteByWorkspace(event.workspaceId());
    }
}
