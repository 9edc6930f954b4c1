package dev.flowline.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class FixedDelayJobTest {

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void shutDown() {
        executor.shutdownNow();
    }

    @Test
    void aLongDelayIsWaitedInShortWakesSoThatAStoppedJobLeavesTheQueueSoon() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        FixedDelayJob job = new FixedDelayJob("test", ticks::incrementAndGet, 50);

        job.start(executor, 1, 60, TimeUnit.MINUTES);

        // what the executor holds for the job wakes within the bound, not in an hour
        assertThat(executor.getQueue()).hasSize(1);
        assertThat(((Delayed) executor.getQueue().peek()).getDelay(TimeUnit.MILLISECONDS)).isLessThanOrEqualTo(50);
        job.stop();
        Thread.sleep(200); // the cancelled wake is due and dropped: nothing of the job is left in the queue
        assertThat(executor.getQueue()).isEmpty();
        assertThat(ticks).hasValue(0);
    }

    @Test
    void ticksKeepTheirDelayWhileWakingMoreOften() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        FixedDelayJob job = new FixedDelayJob("test", ticks::incrementAndGet, 10);

        job.start(executor, 0, 300, TimeUnit.MILLISECONDS);
        Thread.sleep(1_000);
        job.stop();

        // at 0, 300, 600, 900 ms (a loaded machine may miss one); never at every 10 ms wake
        assertThat(ticks.get()).isBetween(2, 4);
    }

    @Test
    void aShortDelayTicksAtEveryWake() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        FixedDelayJob job = new FixedDelayJob("test", ticks::incrementAndGet, 5_000);

        job.start(executor, 0, 20, TimeUnit.MILLISECONDS);
        Thread.sleep(500);
        job.stop();

        assertThat(ticks.get()).isGreaterThan(5);
    }

    @Test
    void aFailingTickIsTriedAgainAtTheNextOne() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        FixedDelayJob job = new FixedDelayJob("test", () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("boom");
        }, 5_000);

        job.start(executor, 0, 20, TimeUnit.MILLISECONDS);
        Thread.sleep(300);
        job.stop();

        assertThat(attempts.get()).isGreaterThan(2);
    }
}
