package dev.flowline.engine;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One background job of an instance: runs its tick with a fixed delay between ticks (never overlapping itself) on a
 * thread of its own, logs a failed tick and tries again at the next one, and stops with the application. Every
 * instance runs its own; the work each tick claims is what keeps instances from doing it twice.
 *
 * <p>The thread comes from the container's {@code ManagedThreadFactory} (so the tick runs with the application's
 * context) and ends when the job stops. The container's shared scheduled executor is not used: its pooled thread,
 * created while the application's code was on the stack, kept the application's class loader (through the thread's
 * inherited access control context) for the life of the server, and a cancelled task stayed in its queue, holding
 * the class loader too, until the task's time came (an hour for the retention job).
 */
final class FixedDelayJob {

    private static final Logger LOG = Logger.getLogger(FixedDelayJob.class.getName());
    /** How long {@link #stop()} waits for a running tick. */
    static final long STOP_WAIT_SECONDS = 5;

    private final String name;
    private final Runnable tick;
    private ScheduledThreadPoolExecutor executor;

    /** {@code name} says what a tick does, for the log and the thread ("Firing due schedules"). */
    FixedDelayJob(String name, Runnable tick) {
        this.name = name;
        this.tick = tick;
    }

    synchronized void start(ThreadFactory threads, long initialDelay, long delay, TimeUnit unit) {
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, work -> {
                Thread thread = threads.newThread(work);
                thread.setName("flowline: " + name);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            executor.scheduleWithFixedDelay(this::runTick, initialDelay, delay, unit);
        }
    }

    /** Runs {@code work} on the job's thread as soon as no tick runs; false when the job is not running. */
    boolean runSoon(Runnable work) {
        ScheduledThreadPoolExecutor running;
        synchronized (this) {
            running = executor;
        }
        if (running == null) {
            return false;
        }
        try {
            running.execute(work);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // stopping
        }
    }

    /** No new tick starts; a running one may finish (waited for up to {@value #STOP_WAIT_SECONDS} s); the thread ends. */
    void stop() {
        ScheduledThreadPoolExecutor stopping;
        synchronized (this) {
            stopping = executor;
            executor = null;
        }
        if (stopping == null) {
            return;
        }
        stopping.shutdown(); // drops the periodic task and anything not started
        try {
            if (!stopping.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warning(() -> name + ": the running tick did not finish within " + STOP_WAIT_SECONDS
                        + " s of stopping; it goes on without waiting");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
