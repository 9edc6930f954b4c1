package dev.flowline.workflows.api;

import dev.flowline.workflows.MissedFiringPolicy;
import dev.flowline.workflows.ScheduleView;

import java.time.Instant;
import java.util.List;

/** {@code lastError}: why the last firing made no run (the run quota), until a firing succeeds. */
public record ScheduleResponse(String cron, String timezone, MissedFiringPolicy missedFiringPolicy, boolean paused,
                               Instant nextRunAt, List<Instant> nextFirings, Instant lastFiredAt, String lastError,
                               Instant lastErrorAt) {

    static ScheduleResponse of(ScheduleView view) {
        var s = view.schedule();
        return new ScheduleResponse(s.cron(), s.timezone(), s.missedFiringPolicy(), s.paused(),
                s.paused() ? null : s.nextRunAt(), view.nextFirings(), s.lastFiredAt(), s.lastError(), s.lastErrorAt());
    }
}
