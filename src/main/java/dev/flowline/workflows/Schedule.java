package dev.flowline.workflows;

import java.time.Instant;
import java.util.UUID;

/** A workflow's schedule: cron in an IANA zone, what to do about firings missed while down, and the next firing. */
public record Schedule(UUID workflowId, UUID workspaceId, String cron, String timezone, MissedFiringPolicy missedFiringPolicy,
                       boolean paused, Instant nextRunAt, Instant lastFiredAt) {
}
