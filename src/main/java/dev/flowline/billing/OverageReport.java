package dev.flowline.billing;

import java.time.Instant;
import java.util.UUID;

/** One claimed row of the overage outbox: {@code units} runs to report as one meter event under {@code identifier}. */
public record OverageReport(UUID id, UUID workspaceId, String stripeCustomerId, String identifier, int units,
                            Instant createdAt, int attempts) {
}
