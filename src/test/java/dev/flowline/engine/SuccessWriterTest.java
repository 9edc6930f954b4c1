package dev.flowline.engine;

import dev.flowline.runs.ClaimedRun;
import dev.flowline.runs.LeaseState;
import dev.flowline.runs.RunQueue;
import dev.flowline.runs.RunSuccess;
import dev.flowline.runs.StepRecord;
import dev.flowline.runs.TakenUnit;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SuccessWriterTest {

    private static final String OWNER = "instance-a";
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    private final GroupRecordingQueue queue = new GroupRecordingQueue();
    private final SuccessWriter writer = new SuccessWriter();
    private final ExecutorService workers = Executors.newCachedThreadPool();

    @BeforeEach
    void wire() {
        writer.queue = queue;
        writer.clock = Clock.fixed(NOW, ZoneOffset.UTC);
    }

    @Test
    void anIdleWriterWritesARunAtOnceOnItsWorker() {
        RunSuccess run = success();

        assertThat(writer.write(run)).isTrue();

        assertThat(queue.groups).containsExactly(List.of(run.runId()));
        assertThat(queue.owners).containsExactly(List.of(OWNER));
        assertThat(writer.waiting()).isZero();
    }

    @Test
    void runsThatSucceedWhileAGroupIsWrittenAreWrittenTogetherNext() throws Exception {
        queue.holdFirstWrite();
        RunSuccess first = success();
        Future<Boolean> firstWorker = workers.submit(() -> writer.write(first));
        assertThat(queue.firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();

        List<RunSuccess> later = List.of(success(), success(), success(), success(), success());
        List<Future<Boolean>> laterWorkers = new ArrayList<>();
        for (RunSuccess run : later) {
            laterWorkers.add(workers.submit(() -> writer.write(run)));
        }
        awaitWaiting(later.size());
        queue.releaseFirstWrite.complete(null);

        assertThat(firstWorker.get(5, TimeUnit.SECONDS)).isTrue();
        for (Future<Boolean> worker : laterWorkers) {
            assertThat(worker.get(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(queue.groups).hasSize(2);
        assertThat(queue.groups.get(0)).containsExactly(first.runId());
        assertThat(queue.groups.get(1)).as("one statement for the five that waited")
                .containsExactlyInAnyOrderElementsOf(later.stream().map(RunSuccess::runId).toList());
        assertThat(writer.waiting()).isZero();
    }

    @Test
    void aRunNoLongerLeasedAnswersFalseAndTheOthersOfItsGroupTrue() throws Exception {
        queue.holdFirstWrite();
        Future<Boolean> firstWorker = workers.submit(() -> writer.write(success()));
        assertThat(queue.firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
        RunSuccess lost = success();
        RunSuccess kept = success();
        queue.lost.add(lost.runId());
        Future<Boolean> lostWorker = workers.submit(() -> writer.write(lost));
        Future<Boolean> keptWorker = workers.submit(() -> writer.write(kept));
        awaitWaiting(2);
        queue.releaseFirstWrite.complete(null);

        assertThat(firstWorker.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(lostWorker.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(keptWorker.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aGroupThatFailsIsWrittenOneByOneSoThatOneBadRunHoldsNoOtherBack() throws Exception {
        queue.holdFirstWrite();
        Future<Boolean> firstWorker = workers.submit(() -> writer.write(success()));
        assertThat(queue.firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
        RunSuccess bad = success();
        RunSuccess good = success();
        queue.failing.add(bad.runId());
        Future<Boolean> badWorker = workers.submit(() -> writer.write(bad));
        Future<Boolean> goodWorker = workers.submit(() -> writer.write(good));
        awaitWaiting(2);
        queue.releaseFirstWrite.complete(null);

        assertThat(firstWorker.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(goodWorker.get(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> badWorker.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("deadlock detected");
        assertThat(queue.groups).as("the group failed, then each alone")
                .contains(List.of(good.runId()), List.of(bad.runId()));
        assertThat(writer.waiting()).isZero();
    }

    @Test
    void runsOfDifferentLeaseHoldersAreWrittenInOneStatementEachUnderItsOwnHolder() throws Exception {
        queue.holdFirstWrite();
        Future<Boolean> firstWorker = workers.submit(() -> writer.write(success()));
        assertThat(queue.firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
        RunSuccess a = success();
        RunSuccess b = new RunSuccess(UUID.randomUUID(), "instance-a#2", List.of(), null);
        Future<Boolean> aWorker = workers.submit(() -> writer.write(a));
        Future<Boolean> bWorker = workers.submit(() -> writer.write(b));
        awaitWaiting(2);
        queue.releaseFirstWrite.complete(null);

        assertThat(firstWorker.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(aWorker.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(bWorker.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(queue.groups).hasSize(2);
        assertThat(queue.groups.get(1)).containsExactlyInAnyOrder(a.runId(), b.runId());
        assertThat(queue.owners.get(1)).as("each run under its claim's holder")
                .containsExactlyInAnyOrder(OWNER, "instance-a#2");
    }

    @Test
    void manyWorkersAtOnceAreEachWrittenExactlyOnce() throws Exception {
        List<RunSuccess> runs = new ArrayList<>();
        List<Future<Boolean>> answers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 200; i++) {
            RunSuccess run = success();
            runs.add(run);
            answers.add(workers.submit(() -> {
                start.await();
                return writer.write(run);
            }));
        }
        start.countDown();
        for (Future<Boolean> answer : answers) {
            assertThat(answer.get(10, TimeUnit.SECONDS)).isTrue();
        }

        List<UUID> written = queue.groups.stream().flatMap(List::stream).toList();
        assertThat(written).hasSize(runs.size()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(runs.stream().map(RunSuccess::runId).toList());
        assertThat(writer.waiting()).isZero();
    }

    private void awaitWaiting(int runs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (writer.waiting() < runs) {
            assertThat(System.nanoTime()).as("%d runs waiting", runs).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static RunSuccess success() {
        return new RunSuccess(UUID.randomUUID(), OWNER, List.of(), null);
    }

    /** Records each group written; can hold the first write, lose leases, and fail groups holding a given run. */
    private static final class GroupRecordingQueue implements RunQueue {

        final List<List<UUID>> groups = new CopyOnWriteArrayList<>();
        /** Per group, the lease holders its runs were written under. */
        final List<List<String>> owners = new CopyOnWriteArrayList<>();
        final Set<UUID> lost = new HashSet<>();
        final Set<UUID> failing = new HashSet<>();
        final CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CompletableFuture<Void> releaseFirstWrite = CompletableFuture.completedFuture(null);

        void holdFirstWrite() {
            releaseFirstWrite = new CompletableFuture<>();
        }

        @Override
        public Set<UUID> succeedAll(List<RunSuccess> successes, Instant now) {
            boolean first = firstWriteStarted.getCount() > 0;
            firstWriteStarted.countDown();
            if (first) {
                releaseFirstWrite.join();
            }
            List<UUID> ids = successes.stream().map(RunSuccess::runId).toList();
            groups.add(ids);
            owners.add(successes.stream().map(RunSuccess::owner).toList());
            if (ids.stream().anyMatch(failing::contains)) {
                throw new IllegalStateException("deadlock detected");
            }
            Set<UUID> written = new HashSet<>(ids);
            written.removeAll(lost);
            return written;
        }

        @Override
        public List<ClaimedRun> claim(String owner, Instant now, Duration lease, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<ClaimedRun> claimOne(UUID runId, String owner, Instant now, Duration lease) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<UUID> renew(String owner, Collection<UUID> runIds, Instant leaseUntil) {
            throw new UnsupportedOperationException();
        }

        @Override
        public LeaseState checkpoint(UUID runId, String owner, List<StepRecord> steps, Instant leaseUntil) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean succeed(UUID runId, String owner, List<StepRecord> steps, JsonObject output, Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean waitUntil(UUID runId, String owner, List<StepRecord> steps, Instant resumeAt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean wake(UUID runId, Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean retryAt(UUID runId, String owner, List<StepRecord> steps, String error, Instant at) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean deadLetter(UUID runId, String owner, List<StepRecord> steps, String error, String lastNodeId,
                                  Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean cancel(UUID runId, String owner, List<StepRecord> steps, Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<TakenUnit> refuse(UUID runId, String owner, String reason, Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long depth(Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int release(String owner, Collection<UUID> runIds, Instant now) {
            throw new UnsupportedOperationException();
        }
    }
}
