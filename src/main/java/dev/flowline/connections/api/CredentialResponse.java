package dev.flowline.connections.api;

import dev.flowline.connections.Credential;
import dev.flowline.connections.CredentialShape;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One of the caller's credentials; never a secret value. {@code apiKey} only for api-key credentials,
 * {@code headerNames} only for headers credentials.
 */
public record CredentialResponse(UUID id, String name, String kind,
                                 List<String> origins, ApiKeyPlacementResponse apiKey, List<String> headerNames,
                                 boolean shared, Instant createdAt, Instant updatedAt) {

    static CredentialResponse of(Credential c) {
        return new CredentialResponse(c.id(), c.name(), c.kind().wireName(), c.origins().values(), apiKey(c.shape()),
                c.shape().headerNames(), c.shared(), c.createdAt(), c.updatedAt());
    }

    static ApiKeyPlacementResponse apiKey(CredentialShape shape) {
        return shape.in() == null ? null : new ApiKeyPlacementResponse(shape.in(), shape.name());
    }
}
