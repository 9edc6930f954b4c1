package dev.flowline.workflows.api;

import dev.flowline.workflows.MissedFiringPolicy;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** 5-field cron, an IANA time zone (default UTC), and what to do about missed firings (default RUN_ONCE). */
public record ScheduleRequest(@NotBlank @Size(max = 120) String cron, @Size(max = 64) String timezone,
                              MissedFiringPolicy missedFiringPolicy) {
}
