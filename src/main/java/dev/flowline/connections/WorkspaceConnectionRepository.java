package dev.flowline.connections;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Personal connections shared into workspaces ({@code workspace_connections}, one per workspace and token).
 * Implemented by {@code connections.jpa.JpaWorkspaceConnectionRepository}.
 */
public interface WorkspaceConnectionRepository {

    /** Shares the token and marks it shared, in one statement; empty when it is already shared there. */
    Optional<SharedConnection> create(UUID workspaceId, UUID ownerId, UUID tokenId, String name, Instant now);

    List<SharedConnection> listByWorkspace(UUID workspaceId);

    List<SharedConnection> listByWorkspaceCreator(UUID workspaceId, UUID userId);

    Optional<SharedConnection> findInWorkspace(UUID workspaceId, UUID connectionId);

    boolean deleteById(UUID connectionId);

    /** Removes what the member shared into the workspace; answers how many. */
    int deleteByWorkspaceAndOwner(UUID workspaceId, UUID ownerId);

    /** Removes every connection shared into the workspace; answers the members who had shared them. */
    Set<UUID> deleteByWorkspace(UUID workspaceId);

}
