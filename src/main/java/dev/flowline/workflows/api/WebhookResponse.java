package dev.flowline.workflows.api;

import dev.flowline.workflows.WebhookTrigger;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;

/** The URL to send deliveries to; {@code secret} only in the one answer that made it. */
public record WebhookResponse(String url, Instant secretRotatedAt, String secret) {

    static WebhookResponse of(WebhookTrigger webhook, String secret, UriInfo uriInfo) {
        return new WebhookResponse(uriInfo.getBaseUriBuilder().path("hooks").path(webhook.webhookId()).build().toString(),
                webhook.rotatedAt(), secret);
    }
}
