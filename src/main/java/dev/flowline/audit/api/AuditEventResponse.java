package dev.flowline.audit.api;

import dev.flowline.audit.AuditEvent;
import dev.flowline.platform.json.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/**
 * One audit event, flat with camelCase names like the request log's JSON lines: {@code actorType} is {@code user},
 * {@code operator}, {@code stripe}, {@code system} or {@code anonymous}; {@code before}/{@code after} hold the fields
 * that changed.
 */
public record AuditEventResponse(UUID id, Instant time, String event, String actorType, UUID actorId,
                                 String actorEmail, UUID workspaceId, String objectType, UUID objectId,
                                 String clientAddress, String requestId,
                                 @Schema(type = SchemaType.OBJECT) JsonObject before,
                                 @Schema(type = SchemaType.OBJECT) JsonObject after) {

    static AuditEventResponse of(AuditEvent event) {
        return new AuditEventResponse(event.id(), event.occurredAt(), event.event(),
                event.actorKind().name().toLowerCase(java.util.Locale.ROOT), event.actorUserId(), event.actorEmail(),
                event.workspaceId(), event.objectType(), event.objectId(), event.clientAddress(), event.requestId(),
                event.before(), event.after());
    }

    /** The same object as the JSON answer's items (absent fields left out), as one NDJSON line holds it. */
    JsonObject toJson() {
        JsonObjectBuilder json = Jsons.createObjectBuilder();
        add(json, "id", id);
        add(json, "time", time);
        add(json, "event", event);
        add(json, "actorType", actorType);
        add(json, "actorId", actorId);
        add(json, "actorEmail", actorEmail);
        add(json, "workspaceId", workspaceId);
        add(json, "objectType", objectType);
        add(json, "objectId", objectId);
        add(json, "clientAddress", clientAddress);
        add(json, "requestId", requestId);
        json.add("before", before);
        json.add("after", after);
        return json.build();
    }

    private static void add(JsonObjectBuilder json, String name, Object value) {
        if (value != null) {
            json.add(name, value.toString());
        }
    }
}
