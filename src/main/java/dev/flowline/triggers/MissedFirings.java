package dev.flowline.triggers;

import dev.flowline.workflows.CronSchedule;
import dev.flowline.workflows.MissedFiringPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which firings of a schedule to run when the scheduler finds it due, possibly long after
 * {@code next_run_at} because no instance was running.
 *
 * <p>The due times are {@code nextRunAt} itself and every later firing up to and including {@code now}. Then:
 * <ul>
 *   <li>{@link MissedFiringPolicy#RUN_ALL}: every due time, oldest first; when more than {@code maxCatchUp} are due,
 *       only the most recent {@code maxCatchUp} run (the older ones are dropped: recent work is the useful work).</li>
 *   <li>{@link MissedFiringPolicy#RUN_ONCE}: only the latest due time.</li>
 *   <li>{@link MissedFiringPolicy#SKIP}: the latest due time if it is at most {@link #SKIP_GRACE} before
 *       {@code now} (an on-time firing, however slow the poll), otherwise nothing.</li>
 * </ul>
 * The normal case, one due time found within the grace, fires that time under every policy. The schedule's new
 * {@code next_run_at} is always its first firing strictly after {@code now}.
 */
public final class MissedFirings {

    /** How late a firing may be and still count as on time for {@link MissedFiringPolicy#SKIP}. */
    public static final Duration SKIP_GRACE = Duration.ofSeconds(60);

    // Width of the first window searched back from `now`; it doubles until it holds enough due times.
    private static final Duration FIRST_WINDOW = Duration.ofHours(1);

    private MissedFirings() {
    }

    /**
     * The firings to run now and the schedule's next run time.
     *
     * @param scheduledTimes nominal times of the firings to run, oldest first; each is the uniqueness key of its run
     * @param nextRunAt      the next run time to store: unchanged when nothing was due, else the first firing after now
     */
    public record Firings(List<Instant> scheduledTimes, Instant nextRunAt) {
        public Firings {
            scheduledTimes = List.copyOf(scheduledTimes);
            Objects.requireNonNull(nextRunAt, "nextRunAt");
        }
    }

    /**
     * The firings to run at {@code now} and the schedule's new next run time.
     *
     * @param nextRunAt  the schedule's stored next run time (a firing of {@code schedule}); due itself once reached
     * @param maxCatchUp how many due times {@link MissedFiringPolicy#RUN_ALL} runs at most; at least 1
     */
    public static Firings due(CronSchedule schedule, Instant nextRunAt, Instant now, MissedFiringPolicy policy,
                              int maxCatchUp) {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(nextRunAt, "nextRunAt");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(policy, "policy");
        if (maxCatchUp < 1) {
            throw new IllegalArgumentException("maxCatchUp must be at least 1: " + maxCatchUp);
        }
        if (nextRunAt.isAfter(now)) {
            return new Firings(List.of(), nextRunAt);
        }
        Instant newNextRunAt = schedule.nextAfter(now)
                .orElseThrow(() -> new IllegalStateException("No firing after " + now + " for " + schedule));
        List<Instant> fire = switch (policy) {
            case RUN_ALL -> latestDue(schedule, nextRunAt, now, maxCatchUp);
            case RUN_ONCE -> latestDue(schedule, nextRunAt, now, 1);
            case SKIP -> latestDue(schedule, nextRunAt, now, 1).stream()
                    .filter(time -> !time.plus(SKIP_GRACE).isBefore(now))
                    .toList();
        };
        return new Firings(fire, newNextRunAt);
    }

    /**
     * The last {@code limit} due times in [{@code nextRunAt}, {@code now}], oldest first. Searches back from
     * {@code now} in doubling windows, so a minutely schedule that missed a year doesn't walk every missed minute.
     */
    private static List<Instant> latestDue(CronSchedule schedule, Instant nextRunAt, Instant now, int limit) {
        Duration window = FIRST_WINDOW;
        while (true) {
            boolean reachesNextRunAt = Duration.between(nextRunAt, now).compareTo(window) <= 0;
            Optional<Instant> first = reachesNextRunAt ? Optional.of(nextRunAt) : schedule.nextAfter(now.minus(window));
            Deque<Instant> found = lastTimes(schedule, first, now, limit);
            if (reachesNextRunAt || found.size() >= limit) {
                return List.copyOf(found);
            }
            window = window.multipliedBy(2);
        }
    }

    /** The last {@code limit} of {@code first} and the firings after it up to and including {@code now}. */
    private static Deque<Instant> lastTimes(CronSchedule schedule, Optional<Instant> first, Instant now, int limit) {
        Deque<Instant> kept = new ArrayDeque<>(limit + 1);
        Optional<Instant> time = first;
        while (time.isPresent() && !time.get().isAfter(now)) {
            kept.addLast(time.get());
            if (kept.size() > limit) {
                kept.removeFirst();
            }
            time = schedule.nextAfter(time.get());
        }
        return kept;
    }
}
