package dev.flowline.audit.jpa;

import dev.flowline.audit.AuditEvent;
import dev.flowline.platform.json.Jsons;
import dev.flowline.platform.persistence.JsonObjectConverter;
import dev.flowline.platform.persistence.NullableUuidConverter;
import dev.flowline.platform.security.Actor;
import jakarta.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code audit_events}: persisted once, never changed (no setters; the database refuses an UPDATE). The
 * list queries take every filter as a parameter, "any" being a value that matches everything ({@code ''} for the
 * event, {@link JpaAuditRepository#ANYONE} for the actor, far times for the range), so that they stay named queries
 * checked at deployment; the keyset position starts at {@code (until, the greatest id)}.
 */
@Entity
@Table(name = "audit_events")
@NamedQuery(name = AuditEventEntity.LIST_FOR_WORKSPACE,
        query = "SELECT e FROM AuditEventEntity e WHERE e.workspaceId = :scope"
                + " AND (:event = '' OR e.event = :event) AND (:actor = :anyone OR e.actorUserId = :actor)"
                + " AND e.occurredAt >= :since AND e.occurredAt < :until"
                + " AND (e.occurredAt < :at OR (e.occurredAt = :at AND e.id < :id))"
                + " ORDER BY e.occurredAt DESC, e.id DESC")
@NamedQuery(name = AuditEventEntity.LIST_FOR_ACCOUNT,
        query = "SELECT e FROM AuditEventEntity e WHERE e.accountId = :scope"
                + " AND (:event = '' OR e.event = :event) AND (:actor = :anyone OR e.actorUserId = :actor)"
                + " AND e.occurredAt >= :since AND e.occurredAt < :until"
                + " AND (e.occurredAt < :at OR (e.occurredAt = :at AND e.id < :id))"
                + " ORDER BY e.occurredAt DESC, e.id DESC")
public class AuditEventEntity {

    static final String LIST_FOR_WORKSPACE = "AuditEvent.listForWorkspace";
    static final String LIST_FOR_ACCOUNT = "AuditEvent.listForAccount";

    @Id
    private UUID id;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(nullable = false)
    private String event;

    @Column(name = "actor_kind", nullable = false)
    private String actorKind;

    @Column(name = "actor_user_id")
    @Convert(converter = NullableUuidConverter.class)
    private UUID actorUserId;

    @Column(name = "actor_email")
    private String actorEmail;

    @Column(name = "account_id")
    @Convert(converter = NullableUuidConverter.class)
    private UUID accountId;

    @Column(name = "workspace_id")
    @Convert(converter = NullableUuidConverter.class)
    private UUID workspaceId;

    @Column(name = "object_type")
    private String objectType;

    @Column(name = "object_id")
    @Convert(converter = NullableUuidConverter.class)
    private UUID objectId;

    @Column(name = "client_address")
    private String clientAddress;

    @Column(name = "request_id")
    private String requestId;

    @Column(nullable = false, columnDefinition = "jsonb")
    @Convert(converter = JsonObjectConverter.class)
    private JsonObject changes;

    protected AuditEventEntity() {
    }

    AuditEventEntity(AuditEvent event) {
        this.id = event.id();
        this.occurredAt = event.occurredAt();
        this.event = event.event();
        this.actorKind = event.actorKind().name();
        this.actorUserId = event.actorUserId();
        this.actorEmail = event.actorEmail();
        this.accountId = event.accountId();
        this.workspaceId = event.workspaceId();
        this.objectType = event.objectType();
        this.objectId = event.objectId();
        this.clientAddress = event.clientAddress();
        this.requestId = event.requestId();
        this.changes = Jsons.createObjectBuilder().add("before", event.before()).add("after", event.after()).build();
    }

    AuditEvent toAuditEvent() {
        JsonObject empty = JsonObject.EMPTY_JSON_OBJECT;
        JsonObject before = changes.containsKey("before") ? changes.getJsonObject("before") : empty;
        JsonObject after = changes.containsKey("after") ? changes.getJsonObject("after") : empty;
        return new AuditEvent(id, occurredAt, event, Actor.Kind.valueOf(actorKind), actorUserId, actorEmail, accountId,
                workspaceId, objectType, objectId, clientAddress, requestId, before, after);
    }
}
