package dev.flowline.engine;

import dev.flowline.runs.ClaimedRun;
import dev.flowline.runs.LeaseState;
import dev.flowline.runs.RunQueue;
import dev.flowline.runs.RunSuccess;
import dev.flowline.runs.StepRecord;
import dev.flowline.runs.TakenUnit;
import dev.flowline.runs.WorkflowRun;
import jakarta.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A queue that hands out the runs it is given, one batch per claim, and records what the engine writes. */
final class RecordingQueue implements RunQueue {

    record Letter(UUID runId, List<StepRecord> steps, String error, String lastNodeId) {
    }

    final List<List<ClaimedRun>> toClaim = new CopyOnWriteArrayList<>();
    final List<Integer> claimLimits = new CopyOnWriteArrayList<>();
    final List<Letter> deadLettered = new CopyOnWriteArrayList<>();
    final List<UUID> retried = new CopyOnWriteArrayList<>();
    /** Every step the engine wrote, in the order it wrote them, whatever the write. */
    final List<StepRecord> written = new CopyOnWriteArrayList<>();
    final List<Instant> parkedUntil = new CopyOnWriteArrayList<>();
    final List<RunSuccess> succeeded = new CopyOnWriteArrayList<>();
    /** The holder each claim leased under, and per release the holder and its runs. */
    final List<String> claimOwners = new CopyOnWriteArrayList<>();
    final List<Map.Entry<String, List<UUID>>> released = new CopyOnWriteArrayList<>();
    volatile boolean deadLetterFails;
    /** Every checkpoint's steps, written or not; with {@code leaseLost}, each answers LOST and writes nothing. */
    final List<List<StepRecord>> checkpoints = new CopyOnWriteArrayList<>();
    volatile boolean leaseLost;
    /** Hand out copies leased to the claim's holder, as the database does (else the very runs given). */
    volatile boolean leaseToClaimer;

    @Override
    public List<ClaimedRun> claim(String owner, Instant now, Duration lease, int limit) {
        claimLimits.add(limit);
        claimOwners.add(owner);
        List<ClaimedRun> batch = toClaim.isEmpty() ? List.of() : toClaim.remove(0);
        return leaseToClaimer ? batch.stream().map(claimed -> leasedTo(claimed, owner)).toList() : batch;
    }

    private static ClaimedRun leasedTo(ClaimedRun claimed, String owner) {
        WorkflowRun r = claimed.run();
        return new ClaimedRun(new WorkflowRun(r.id(), r.workspaceId(), r.workflowId(), r.workflowVersion(), r.status(),
                r.trigger(), r.input(), r.output(), r.error(), r.attempt(), r.idempotencyKey(), r.scheduledFor(),
                r.webhookDeliveryId(), r.rerunOf(), r.cancelRequested(), r.queuedAt(), r.startedAt(), r.finishedAt(),
                r.nextAttemptAt(), owner, r.leaseExpiresAt(), r.parentRunId()), claimed.resumed(),
                claimed.workflowEnabled(), claimed.retryPolicy());
    }

    @Override
    public Optional<ClaimedRun> claimOne(UUID runId, String owner, Instant now, Duration lease) {
        return Optional.empty();
    }

    @Override
    public Set<UUID> renew(String owner, Collection<UUID> runIds, Instant leaseUntil) {
        return Set.copyOf(runIds);
    }

    @Override
    public LeaseState checkpoint(UUID runId, String owner, List<StepRecord> steps, Instant leaseUntil) {
        checkpoints.add(List.copyOf(steps));
        if (leaseLost) {
            return LeaseState.LOST;
        }
        written.addAll(steps);
        return LeaseState.HELD;
    }

    @Override
    public boolean succeed(UUID runId, String owner, List<StepRecord> steps, JsonObject output, Instant now) {
        return true;
    }

    @Override
    public Set<UUID> succeedAll(List<RunSuccess> successes, Instant now) {
        succeeded.addAll(successes);
        successes.forEach(success -> written.addAll(success.steps()));
        return successes.stream().map(RunSuccess::runId).collect(java.util.stream.Collectors.toSet());
    }

    @Override
    public boolean waitUntil(UUID runId, String owner, List<StepRecord> steps, Instant resumeAt) {
        written.addAll(steps);
        parkedUntil.add(resumeAt);
        return true;
    }

    @Override
    public boolean wake(UUID runId, Instant now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean retryAt(UUID runId, String owner, List<StepRecord> steps, String error, Instant at) {
        retried.add(runId);
        written.addAll(steps);
        return true;
    }

    @Override
    public boolean deadLetter(UUID runId, String owner, List<StepRecord> steps, String error, String lastNodeId,
                              Instant now) {
        if (deadLetterFails) {
            throw new IllegalStateException("the database is gone too");
        }
        deadLettered.add(new Letter(runId, List.copyOf(steps), error, lastNodeId));
        written.addAll(steps);
        return true;
    }

    @Override
    public boolean cancel(UUID runId, String owner, List<StepRecord> steps, Instant now) {
        return true;
    }

    @Override
    public Optional<TakenUnit> refuse(UUID runId, String owner, String reason, Instant now) {
        return Optional.empty();
    }

    @Override
    public long depth(Instant now) {
        return 0;
    }

    @Override
    public int release(String owner, Collection<UUID> runIds, Instant now) {
        released.add(Map.entry(owner, List.copyOf(runIds)));
        return runIds.size();
    }
}
