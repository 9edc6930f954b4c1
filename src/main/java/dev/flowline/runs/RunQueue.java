package dev.flowline.runs;

import jakarta.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The runs table as the engine's queue. Due runs are claimed with {@code FOR UPDATE SKIP LOCKED} and leased to one
 * holder ({@code owner}) until the lease expires; every later write names the holder and changes nothing once the
 * lease is lost, so an instance that stalled cannot overwrite the run's new owner. The engine names each claim
 * differently (its instance name and a claim number), so the holder is a fencing token: a walk that lost its lease
 * cannot write even after its own instance leased the run again. Each method is one transaction
 * that writes the steps it is given together with the run's new state. Implemented by {@code JpaRunQueue}.
 */
public interface RunQueue {

    /**
     * Leases up to {@code limit} runs that are due (queued with {@code next_attempt_at} at or before {@code now}) or
     * whose lease expired (their instance died: a new attempt), oldest first, keeping each workflow within its
     * {@code concurrencyLimit} of running runs; concurrent callers get disjoint runs.
     */
    List<ClaimedRun> claim(String owner, Instant now, Duration lease, int limit);

    /**
     * Leases one given run if it is due and its workflow has room (waiting for a claim in progress on its workflow
     * rather than skipping it): to start a particular run now. The engine itself claims in batches.
     */
    Optional<ClaimedRun> claimOne(UUID runId, String owner, Instant now, Duration lease);

    /** Extends {@code owner}'s leases on {@code runIds}; answers the runs whose lease it still holds. */
    Set<UUID> renew(String owner, Collection<UUID> runIds, Instant leaseUntil);

    /** Writes finished steps and extends the lease; answers whether to go on. */
    LeaseState checkpoint(UUID runId, String owner, List<StepRecord> steps, Instant leaseUntil);

    /** SUCCEEDED with {@code output} (the last step's output); the lease ends. */
    boolean succeed(UUID runId, String owner, List<StepRecord> steps, JsonObject output, Instant now);

    /**
     * {@link #succeed} for many runs in one statement and one commit (the engine groups the runs that succeed while
     * a write is in flight); answers the runs whose lease each one's {@link RunSuccess#owner} still held, which are
     * the ones written.
     */
    Set<UUID> succeedAll(List<RunSuccess> successes, Instant now);

    /**
     * Parks the run: back to QUEUED until {@code resumeAt} (a delay's end, a wait's deadline), holding no lease and no
     * thread. A run {@linkplain #wake woken} since it was claimed is due at once instead, so no wake-up is lost.
     */
    boolean waitUntil(UUID runId, String owner, List<StepRecord> steps, Instant resumeAt);

    /**
     * Makes a parked run due now (its awaited event came: a resume URL was called, a child run ended), or, if it is
     * running, due as soon as it parks. Answers whether the run was still unfinished.
     */
    boolean wake(UUID runId, Instant now);

    /** A failed attempt that the retry policy retries: QUEUED until {@code at}, with the next attempt number. */
    boolean retryAt(UUID runId, String owner, List<StepRecord> steps, String error, Instant at);

    /** DEAD_LETTERED with its dead letter, in one statement. */
    boolean deadLetter(UUID runId, String owner, List<StepRecord> steps, String error, String lastNodeId, Instant now);

    /** CANCELED between steps, as someone asked; the run started, so its quota unit counts. */
    boolean cancel(UUID runId, String owner, List<StepRecord> steps, Instant now);

    /**
     * CANCELED before any step ran (its workflow was disabled or deleted meanwhile), with {@code reason}; answers the
     * quota unit it took, for the caller to give back: a run that never started does not count.
     */
    Optional<TakenUnit> refuse(UUID runId, String owner, String reason, Instant now);

    /** How many runs are due and waiting for a worker (queued with {@code next_attempt_at} at or before {@code now}). */
    long depth(Instant now);

    /** Shutdown: gives the runs back to the queue, due at once, for any instance to continue. */
    int release(String owner, Collection<UUID> runIds, Instant now);
}
