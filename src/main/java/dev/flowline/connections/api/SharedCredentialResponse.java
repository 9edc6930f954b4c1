package dev.flowline.connections.api;

import dev.flowline.connections.SharedCredential;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A credential shared into a workspace: its id is what a workflow's {@code http.request} node names as
 * {@code credentialId}. Never a secret value.
 */
public record SharedCredentialResponse(UUID id, UUID workspaceId, String name, String kind,
                                       List<String> origins, ApiKeyPlacementResponse apiKey, List<String> headerNames,
                                       UUID sharedBy, Instant createdAt) {

    static SharedCredentialResponse of(SharedCredential c) {
        return new SharedCredentialResponse(c.id(), c.workspaceId(), c.name(), c.kind().wireName(),
                c.origins().values(), CredentialResponse.apiKey(c.shape()), c.shape().headerNames(), c.ownerUserId(),
                c.createdAt());
    }
}
