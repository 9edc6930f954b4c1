package dev.flowline.workflows;

import java.time.Instant;
import java.util.UUID;

/**
 * A workflow's schedule: cron in an IANA zone, what to do about firings missed while down, and the next firing.
 * {@code lastError} says why the last firing made no run (the run quota, or a failure on the server), until a firing succeeds.
 */
public record Schedule(UUID workflowId, UUID workspaceId, String cron, String timezone, MissedFiringPolicy missedFiringPolicy,
                       boolean paused, Instant nextRunAt, Instant lastFiredAt, String lastError, Instant lastErrorAt) {

    /** A schedule without a recorded error. */
    public Schedule(UUID workflowId, UUID workspaceId, String cron, String timezone, MissedFiringPolicy missedFiringPolicy,
                    boolean paused, Instant nextRunAt, Instant lastFiredAt) {
        this(workflowId, workspaceId, cron, timezone, missedFiringPolicy, paused, nextRunAt, lastFiredAt, null, null);
    }
}
