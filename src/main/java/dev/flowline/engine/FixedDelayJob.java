package dev.flowline.engine;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One background job of an instance: runs its tick on the container's managed scheduled executor with a fixed delay
 * between ticks (never overlapping itself), logs a failed tick and tries again at the next one, and stops with the
 * application. Every instance runs its own; the work each tick claims is what keeps instances from doing it twice.
 *
 * <p>The job wakes at least every {@value #MAX_WAKE_MILLIS} ms and ticks once its delay has passed. The container's
 * scheduled executor keeps a cancelled task in its queue until the task's time comes, and the task holds the
 * application's class loader: with an hour between ticks, an undeployed application stayed in memory for up to an
 * hour. Waking often bounds that to a few seconds, at the cost of a clock comparison.
 */
final class FixedDelayJob {

    private static final Logger LOG = Logger.getLogger(FixedDelayJob.class.getName());

    static final long MAX_WAKE_MILLIS = 5_000;

    private final long maxWakeMillis;

    private final String name;
    private final Runnable tick;
    private ScheduledFuture<?> task;
    private long delayNanos;
    private volatile long nextTickNanos;

    /** {@code name} says what a tick does, for the log ("Firing due schedules"). */
    FixedDelayJob(String name, Runnable tick) {
        this(name, tick, MAX_WAKE_MILLIS);
    }

    FixedDelayJob(String name, Runnable tick, long maxWakeMillis) {
        this.name = name;
        this.tick = tick;
        this.maxWakeMillis = maxWakeMillis;
    }

    synchronized void start(ScheduledExecutorService executor, long initialDelay, long delay, TimeUnit unit) {
        if (task == null) {
            delayNanos = unit.toNanos(delay);
            nextTickNanos = System.nanoTime() + unit.toNanos(initialDelay);
            long wakeMillis = Math.max(1, Math.min(unit.toMillis(delay), maxWakeMillis));
            long firstWakeMillis = Math.min(unit.toMillis(initialDelay), wakeMillis);
            task = executor.scheduleWithFixedDelay(this::wake, firstWakeMillis, wakeMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Lets a running tick finish; no new tick starts. */
    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void wake() {
        if (System.nanoTime() - nextTickNanos < 0) {
            return;
        }
        runTick();
        nextTickNanos = System.nanoTime() + delayNanos;
    }

    private void runTick() {
        try {
            tick.run();
        } catch (RuntimeException e) {
            // a failed tick rolled back its own transactions; what it did not do is still there for the next one
            LOG.log(Level.WARNING, name + " failed; retrying at the next tick", e);
        }
    }
}
