package dev.flowline.connections;

import java.time.Instant;
import java.util.UUID;

/**
 * A personal credential shared into a workspace by its owner (a {@code workspace_credentials} row): its id is what
 * the workspace's workflows name. Never a secret value.
 */
public record SharedCredential(UUID id, UUID workspaceId, UUID ownerUserId, UUID credentialId, String name,
                               CredentialKind kind, CredentialOrigins origins, CredentialShape shape,
                               Instant createdAt) {
}
