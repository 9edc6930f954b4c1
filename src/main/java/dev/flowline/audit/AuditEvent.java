package dev.flowline.audit;

import dev.flowline.platform.security.Actor;
import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * One recorded change. {@code actorEmail} is the actor's address when it happened; {@code accountId} is the account an
 * account event is about (null for workspace events); {@code before}/{@code after} hold only the fields that changed.
 */
public record AuditEvent(UUID id, Instant occurredAt, String event, Actor.Kind actorKind, UUID actorUserId,
                         String actorEmail, UUID accountId, UUID workspaceId, String objectType, UUID objectId,
                         String clientAddress, String requestId, JsonObject before, JsonObject after) {
}
