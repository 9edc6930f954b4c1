package dev.flowline.triggers.api;

import dev.flowline.triggers.WebhookDelivery;

import java.time.Instant;
import java.util.UUID;

public record DeliveryResponse(UUID id, String deliveryId, Instant receivedAt, WebhookDelivery.Outcome outcome,
                               UUID runId, int bodyBytes, int repeats) {

    static DeliveryResponse of(WebhookDelivery d) {
        return new DeliveryResponse(d.id(), d.deliveryId(), d.receivedAt(), d.outcome(), d.runId(), d.bodyBytes(),
                d.repeats());
    }
}
