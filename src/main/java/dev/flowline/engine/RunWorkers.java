package dev.flowline.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's run workers: {@code count} long-lived threads, made once (at start, and again only to replace one that
 * died) by the container's {@code ManagedThreadFactory}, so that runs execute with the application's context, each
 * taking the next run from an in-memory queue. The {@link Dispatcher}'s slots bound the runs given to it to the number
 * of workers, so a run waits in the queue only for the moment a worker takes to finish the one before.
 *
 * <p>Not the container's {@code ManagedExecutorService}: Payara's captures the submitter's context for every task
 * ({@code ContextSetupProviderImpl.saveContext}, a {@code ServiceLoader} scan of the application's class path), once
 * per run started, on the webhook's request thread for a run handed off: 5-8% of the server's CPU under webhooks
 * (docs/developing/benchmarks.md). A thread of the factory captures the context once, when it is made.
 */
final class RunWorkers {

    private static final Logger LOG = Logger.getLogger(RunWorkers.class.getName());

    private final ThreadPoolExecutor pool;

    RunWorkers(ThreadFactory threads, int count) {
        AtomicInteger made = new AtomicInteger();
        int size = Math.max(1, count);
        // a worker whose run let something escape (an Error thrown while a run was being dead-lettered) ends;
        // the pool makes another in its place at once
        pool = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), work -> {
            Thread thread = threads.newThread(work);
            thread.setName("flowline: run worker " + made.incrementAndGet());
            thread.setUncaughtExceptionHandler((dead, e) -> LOG.log(Level.SEVERE, dead.getName() + " ended with " + e
                    + "; another worker takes its place", e));
            return thread;
        });
        pool.prestartAllCoreThreads();
    }

    /** Queues {@code run} for the next free worker; false once the workers were stopped (then it will not run). */
    boolean execute(Runnable run) {
        try {
            pool.execute(run);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Takes no run any more: the runs still queued are taken out and returned (never started), the running ones go
     * on (nothing is interrupted: a step in flight ends by its own timeout) and their threads end after them.
     */
    List<Runnable> stop() {
        pool.shutdown();
        List<Runnable> unstarted = new ArrayList<>();
        pool.getQueue().drainTo(unstarted);
        return unstarted;
    }

    /** Whether every worker ended (after {@link #stop}, once their runs did), waiting up to {@code millis}. */
    boolean awaitEnd(long millis) throws InterruptedException {
        return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    /** Live worker threads (those a dead one left included until it is replaced). */
    int threads() {
        return pool.getPoolSize();
    }
}
