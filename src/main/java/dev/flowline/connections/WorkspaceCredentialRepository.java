package dev.flowline.connections;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Personal credentials shared into workspaces ({@code workspace_credentials}, one per workspace and credential).
 * Implemented by {@code connections.jpa.JpaWorkspaceCredentialRepository}.
 */
public interface WorkspaceCredentialRepository {

    /** Shares the owner's credential, in one statement; empty when it is already shared there or not theirs. */
    Optional<SharedCredential> create(UUID workspaceId, UUID ownerId, UUID credentialId, String name, Instant now);

    List<SharedCredential> listByWorkspace(UUID workspaceId);

    List<SharedCredential> listByWorkspaceCreator(UUID workspaceId, UUID userId);

    Optional<SharedCredential> findInWorkspace(UUID workspaceId, UUID sharedId);

    boolean deleteById(UUID sharedId);

    /** Removes what the member shared into the workspace; answers how many. */
    int deleteByWorkspaceAndOwner(UUID workspaceId, UUID ownerId);

    /** Removes every credential shared into the workspace; answers how many. */
    int deleteByWorkspace(UUID workspaceId);
}
