package dev.flowline.connections;

import dev.flowline.platform.json.Fields;
import dev.flowline.platform.security.Actor;

import java.util.Map;
import java.util.UUID;

/**
 * Something a person changed in what workflows authenticate with: a personal connection or credential (no workspace:
 * an event of the owner's account) or its share into a workspace. Fired inside the transaction of the change, so an
 * observer (the audit log) records it in the same commit. {@code before}/{@code after} never hold a token or a
 * credential's secret: a replaced secret shows only as {@code "secret": "replaced"}.
 */
public record ConnectionActivity(String event, Actor actor, UUID workspaceId, String objectType, UUID objectId,
                                 Map<String, Object> before, Map<String, Object> after) {

    public static ConnectionActivity connected(UUID userId, Connection connection, boolean again) {
        return new ConnectionActivity(again ? "connection.reconnected" : "connection.connected", Actor.user(userId),
                null, "connection", connection.id(), Fields.of(),
                Fields.of("provider", connection.provider(), "accountEmail", connection.accountEmail()));
    }

    public static ConnectionActivity disconnected(UUID userId, UUID connectionId, String provider) {
        return new ConnectionActivity("connection.disconnected", Actor.user(userId), null, "connection", connectionId,
                Fields.of("provider", provider), Fields.of());
    }

    public static ConnectionActivity shared(UUID userId, SharedConnection shared) {
        return new ConnectionActivity("connection.shared", Actor.user(userId), shared.workspaceId(),
                "shared_connection", shared.id(), Fields.of(), Fields.of("name", shared.name(), "provider",
                        shared.provider(), "connectionId", shared.tokenId(), "sharedBy", shared.ownerUserId()));
    }

    public static ConnectionActivity unshared(UUID userId, SharedConnection shared) {
        return new ConnectionActivity("connection.unshared", Actor.user(userId), shared.workspaceId(),
                "shared_connection", shared.id(), Fields.of("name", shared.name(), "sharedBy", shared.ownerUserId()),
                Fields.of());
    }

    public static ConnectionActivity credentialCreated(UUID userId, Credential credential) {
        return new ConnectionActivity("credential.created", Actor.user(userId), null, "credential", credential.id(),
                Fields.of(), Fields.of("name", credential.name(), "kind", credential.kind().wireName(),
                        "origins", String.join(" ", credential.origins().values())));
    }

    public static ConnectionActivity credentialUpdated(UUID userId, Credential before, Credential after,
                                                       boolean secretReplaced) {
        Map<String, Object> was = new java.util.LinkedHashMap<>();
        Map<String, Object> is = new java.util.LinkedHashMap<>();
        if (!before.name().equals(after.name())) {
            was.put("name", before.name());
            is.put("name", after.name());
        }
        String originsBefore = String.join(" ", before.origins().values());
        String originsAfter = String.join(" ", after.origins().values());
        if (!originsBefore.equals(originsAfter)) {
            was.put("origins", originsBefore);
            is.put("origins", originsAfter);
        }
        if (secretReplaced) {
            is.put("secret", "replaced");
        }
        return new ConnectionActivity("credential.updated", Actor.user(userId), null, "credential", after.id(),
                was, is);
    }

    public static ConnectionActivity credentialDeleted(UUID userId, Credential credential) {
        return new ConnectionActivity("credential.deleted", Actor.user(userId), null, "credential", credential.id(),
                Fields.of("name", credential.name(), "kind", credential.kind().wireName()), Fields.of());
    }

    public static ConnectionActivity credentialShared(UUID userId, SharedCredential shared) {
        return new ConnectionActivity("credential.shared", Actor.user(userId), shared.workspaceId(),
                "shared_credential", shared.id(), Fields.of(), Fields.of("name", shared.name(), "kind",
                        shared.kind().wireName(), "credentialId", shared.credentialId(), "sharedBy", shared.ownerUserId()));
    }

    public static ConnectionActivity credentialUnshared(UUID userId, SharedCredential shared) {
        return new ConnectionActivity("credential.unshared", Actor.user(userId), shared.workspaceId(),
                "shared_credential", shared.id(), Fields.of("name", shared.name(), "sharedBy", shared.ownerUserId()),
                Fields.of());
    }
}
