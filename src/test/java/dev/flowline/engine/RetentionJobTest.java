package dev.flowline.engine;

import dev.flowline.audit.AuditRetention;
import dev.flowline.workspaces.PlanTier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention keeps up with any rate of finished runs: a tick that used all its batches left rows behind, and the next
 * tick follows soon instead of an interval later.
 */
class RetentionJobTest {

    /** Old rows of one tier, deleted a batch at a time. */
    static final class Backlog extends RetentionPruning {
        final AtomicLong runsLeft;
        final AtomicLong batches = new AtomicLong();

        Backlog(long runs, int batchSize) {
            this.runsLeft = new AtomicLong(runs);
            this.batchSize = batchSize;
        }

        @Override
        public int pruneRunBatch(PlanTier tier) {
            if (tier != PlanTier.values()[0]) {
                return 0;
            }
            batches.incrementAndGet();
            long before = runsLeft.getAndUpdate(left -> Math.max(0, left - batchSize));
            return (int) Math.min(before, batchSize);
        }

        @Override
        public int pruneDeliveryBatch() {
            return 0;
        }

        @Override
        public int dropRunPartitions() {
            return 0;
        }
    }

    /** An audit log with nothing to prune. */
    static final class NoAuditEvents extends AuditRetention {
        @Override
        public int pruneWorkspaceBatch(PlanTier tier, int batchSize) {
            return 0;
        }

        @Override
        public int pruneOtherBatch(int batchSize) {
            return 0;
        }
    }

    private final RetentionJob job = new RetentionJob();

    {
        job.audit = new NoAuditEvents();
    }

    @AfterEach
    void stop() {
        job.stop();
    }

    private Backlog start(long runs) {
        Backlog backlog = new Backlog(runs, 10);
        job.pruning = backlog;
        job.maxBatches = 3;
        job.enabled = true;
        job.intervalMinutes = 60;
        job.catchUpSeconds = 0;
        job.threads = EngineUnderTest.threads();
        job.start();
        return backlog;
    }

    @Test
    void aDrainStoppedByItsBatchCapSaysRowsAreLeft() {
        Backlog backlog = new Backlog(100, 10);
        job.pruning = backlog;
        job.maxBatches = 3;

        assertThat(job.drain(() -> backlog.pruneRunBatch(PlanTier.values()[0])))
                .isEqualTo(new RetentionJob.Drained(30, true));
        assertThat(job.drain(() -> 4)).isEqualTo(new RetentionJob.Drained(4, false));
    }

    @Test
    void aBacklogLargerThanOneTickIsDeletedByTicksThatFollowSoon() throws Exception {
        Backlog backlog = start(95);

        job.prune(); // the first tick (the regular one would come a minute after the start)

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (backlog.runsLeft.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(backlog.runsLeft).as("all deleted, in ticks of 3 batches, without waiting an interval").hasValue(0);
        Thread.sleep(100);
        assertThat(backlog.batches.get()).as("10 batches: the last one short, then no tick more").isEqualTo(10);
    }

    @Test
    void aTickThatDeletedEverythingDueIsNotFollowedEarly() throws Exception {
        Backlog backlog = start(25);

        job.prune();
        Thread.sleep(200);

        assertThat(backlog.runsLeft).hasValue(0);
        assertThat(backlog.batches.get()).isEqualTo(3);
    }
}
