package dev.flowline.runs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for a run to end, for callers that asked to (a webhook sender's {@code Prefer: wait=N}). A run executed on
 * this instance wakes its waiters at once ({@link RunFinished}); one executed elsewhere is seen by re-reading the
 * run every {@value #RECHECK_MILLIS} ms. No thread is held beyond the caller's own.
 */
@ApplicationScoped
public class RunCompletions {

    static final long RECHECK_MILLIS = 250;

    @Inject
    RunRepository runs;

    private final Map<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** The run once it ended, or as it is after {@code max}. */
    public Optional<WorkflowRun> await(UUID workspaceId, UUID runId, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        CompletableFuture<Void> finished = waiting.computeIfAbsent(runId, id -> new CompletableFuture<>());
        try {
            while (true) {
                Optional<WorkflowRun> run = runs.findRun(workspaceId, runId);
                long left = deadline - System.nanoTime();
                if (run.isEmpty() || run.get().status().finished() || left <= 0) {
                    return run;
                }
                try {
                    finished.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS)), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // not here yet: re-read, it may have ended on another instance
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return runs.findRun(workspaceId, runId);
                }
            }
        } finally {
            waiting.remove(runId, finished);
        }
    }

    void onFinished(@Observes RunFinished event) {
        CompletableFuture<Void> finished = waiting.get(event.runId());
        if (finished != null) {
            finished.complete(null);
        }
    }
}
