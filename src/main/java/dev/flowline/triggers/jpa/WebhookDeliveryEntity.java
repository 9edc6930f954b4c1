package dev.flowline.triggers.jpa;

import dev.flowline.platform.persistence.NullableUuidConverter;
import dev.flowline.triggers.WebhookDelivery;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code webhook_deliveries}, for the JPQL that lists it newest first (rows are inserted by native SQL). */
@Entity
@Table(name = "webhook_deliveries")
@NamedQuery(name = WebhookDeliveryEntity.LIST,
        query = "SELECT " + WebhookDeliveryEntity.COLUMNS + " FROM WebhookDeliveryEntity d "
                + "WHERE d.workflowId = :workflowId ORDER BY d.receivedAt DESC, d.id DESC")
@NamedQuery(name = WebhookDeliveryEntity.LIST_BEFORE,
        query = "SELECT " + WebhookDeliveryEntity.COLUMNS + " FROM WebhookDeliveryEntity d "
                + "WHERE d.workflowId = :workflowId AND d.receivedAt <= :at "
                + "AND (d.receivedAt < :at OR (d.receivedAt = :at AND d.id < :id)) "
                + "ORDER BY d.receivedAt DESC, d.id DESC")
public class WebhookDeliveryEntity {

    static final String LIST = "WebhookDelivery.list";
    static final String LIST_BEFORE = "WebhookDelivery.listBefore";

    static final String COLUMNS = "d.id, d.workflowId, d.deliveryId, d.receivedAt, d.outcome, d.runId, d.bodyBytes, "
            + "d.repeats";

    @Id
    private UUID id;

    @Column(name = "workflow_id", nullable = false)
    private UUID workflowId;

    @Column(name = "delivery_id")
    private String deliveryId;

    @Column(name = "received_at", nullable = false)
    private Instant receivedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private WebhookDelivery.Outcome outcome;

    @Convert(converter = NullableUuidConverter.class)
    @Column(name = "run_id")
    private UUID runId;

    @Column(name = "body_bytes", nullable = false)
    private int bodyBytes;

    @Column(nullable = false)
    private int repeats;

    protected WebhookDeliveryEntity() {
    }

    static WebhookDelivery toDelivery(Object[] row) {
        return new WebhookDelivery((UUID) row[0], (UUID) row[1], (String) row[2], (Instant) row[3],
                (WebhookDelivery.Outcome) row[4], (UUID) row[5], ((Number) row[6]).intValue(),
                ((Number) row[7]).intValue());
    }
}
