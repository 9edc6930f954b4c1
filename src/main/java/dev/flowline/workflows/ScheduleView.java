package dev.flowline.workflows;

import java.time.Instant;
import java.util.List;

/** A schedule with its next firings (none while paused). */
public record ScheduleView(Schedule schedule, List<Instant> nextFirings) {
}
