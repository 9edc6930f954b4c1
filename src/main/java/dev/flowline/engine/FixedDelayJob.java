package dev.flowline.engine;

import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One background job of an instance: runs its tick on the container's managed scheduled executor with a fixed delay
 * between ticks (never overlapping itself), logs a failed tick and tries again at the next one, and stops with the
 * application. Every instance runs its own; the work each tick claims is what keeps instances from doing it twice.
 */
final class FixedDelayJob {

    private static final Logger LOG = Logger.getLogger(FixedDelayJob.class.getName());

    private final String name;
    private final Runnable tick;
    private ScheduledFuture<?> task;

    /** {@code name} says what a tick does, for the log ("Firing due schedules"). */
    FixedDelayJob(String name, Runnable tick) {
        this.name = name;
        this.tick = tick;
    }

    synchronized void start(ManagedScheduledExecutorService executor, long initialDelay, long delay, TimeUnit unit) {
        if (task == null) {
            task = executor.scheduleWithFixedDelay(this::runTick, initialDelay, delay, unit);
        }
    }

    /** Lets a running tick finish; no new tick starts. */
    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
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
