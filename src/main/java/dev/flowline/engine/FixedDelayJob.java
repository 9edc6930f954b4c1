package dev.flowline.engine;

import dev.flowline.platform.persistence.ConnectionFailure;
import dev.flowline.platform.persistence.DatabaseAvailability;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 *
 * <p>While the database is unreachable ({@link DatabaseAvailability}) a tick is skipped, not run and failed: the
 * job says once that it pauses (a tick that failed on a connection is the same outage: one line, no stack trace,
 * and it tells {@link DatabaseAvailability}), and once that it resumed, with how long it was paused. Other failures are
 * logged with their stack trace at every tick, as bugs should be.
 */
final class FixedDelayJob {

    private static final Logger LOG = Logger.getLogger(FixedDelayJob.class.getName());
    /** How long {@link #stop()} waits for a running tick. */
    static final long STOP_WAIT_SECONDS = 5;

    private final String name;
    private final Runnable tick;
    private final Supplier<DatabaseAvailability> database;
    private ScheduledThreadPoolExecutor executor;
    /** System.nanoTime when the job paused for an outage, 0 while it runs; read and written on the job's thread. */
    private long pausedSince;
    private int skipped;

    /** {@code name} says what a tick does, for the log and the thread ("Firing due schedules"). */
    FixedDelayJob(String name, Runnable tick) {
        this(name, tick, () -> null);
    }

    /**
     * A job whose ticks need the database: skipped while {@code database} (read at each tick, as the bean's field is
     * injected after the job is made; null: never skipped) says it is unreachable.
     */
    FixedDelayJob(String name, Runnable tick, Supplier<DatabaseAvailability> database) {
        this.name = name;
        this.tick = tick;
        this.database = database;
    }

    synchronized void start(ThreadFactory threads, long initialDelay, long delay, TimeUnit unit) {
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, work -> {
                Thread thread = threads.newThread(work);
                thread.setName("flowline: " + name);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a tickAgainAfter pending at stop
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

    /**
     * Runs one more tick {@code after} this one (a tick that left work behind, e.g. retention past its batches), besides
     * the regular ones; nothing when the job stops first.
     */
    void tickAgainAfter(long after, TimeUnit unit) {
        ScheduledThreadPoolExecutor running;
        synchronized (this) {
            running = executor;
        }
        if (running == null) {
            return;
        }
        try {
            running.schedule(this::runTick, after, unit);
        } catch (RejectedExecutionException e) {
            // stopping: the next start's first tick does it
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
        DatabaseAvailability availability = database.get();
        if (availability != null && !availability.available()) {
            pause("the database is unreachable");
            return;
        }
        try {
            tick.run();
            resumed();
        } catch (RuntimeException e) {
            // a failed tick rolled back its own transactions; what it did not do is still there for the next one
            if (availability != null ? availability.failed(e) : ConnectionFailure.unreachable(e)) {
                pause("the database is unreachable (" + ConnectionFailure.describe(e) + ")");
            } else {
                LOG.log(Level.WARNING, name + " failed; retrying at the next tick", e);
            }
        }
    }

    private void pause(String why) {
        skipped++;
        if (pausedSince == 0) {
            pausedSince = System.nanoTime();
            LOG.warning(() -> name + " paused: " + why + "; it resumes by itself when the database answers again");
        }
    }

    private void resumed() {
        if (pausedSince != 0) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedSince);
            int ticks = skipped;
            pausedSince = 0;
            skipped = 0;
            LOG.info(() -> name + " resumed after " + millis / 100 / 10.0 + " s paused (" + ticks
                    + " ticks skipped or failed)");
        }
    }
}
