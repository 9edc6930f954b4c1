package dev.flowline.engine;

import dev.flowline.platform.persistence.DatabaseAvailability;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class FixedDelayJobTest {

    /** Records the threads it makes, as the container's ManagedThreadFactory would make them. */
    private final List<Thread> made = new CopyOnWriteArrayList<>();
    private final ThreadFactory threads = work -> {
        Thread thread = new Thread(work);
        made.add(thread);
        return thread;
    };

    @Test
    void ticksWithItsDelayOnOneThreadOfItsOwnThatEndsWhenTheJobStops() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        FixedDelayJob job = new FixedDelayJob("Counting", ticks::incrementAndGet);

        job.start(threads, 0, 200, TimeUnit.MILLISECONDS);
        Thread.sleep(700);
        job.stop();

        // at 0, 200, 400, 600 ms (a loaded machine may miss one)
        assertThat(ticks.get()).isBetween(2, 4);
        assertThat(made).hasSize(1);
        assertThat(made.get(0).getName()).isEqualTo("flowline: Counting");
        made.get(0).join(1_000);
        assertThat(made.get(0).isAlive()).isFalse();
        int stoppedAt = ticks.get();
        Thread.sleep(300);
        assertThat(ticks).hasValue(stoppedAt);
    }

    @Test
    void aStoppedJobLeavesNothingWaitingEvenWithAnHourToTheNextTick() throws Exception {
        FixedDelayJob job = new FixedDelayJob("Hourly", () -> { });

        job.start(threads, 1, 60, TimeUnit.MINUTES);
        job.runSoon(() -> { }); // makes the thread
        job.stop();

        made.get(0).join(1_000);
        assertThat(made.get(0).isAlive()).isFalse();
    }

    @Test
    void aFailingTickIsTriedAgainAtTheNextOne() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        FixedDelayJob job = new FixedDelayJob("Failing", () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("boom");
        });

        job.start(threads, 0, 20, TimeUnit.MILLISECONDS);
        Thread.sleep(300);
        job.stop();

        assertThat(attempts.get()).isGreaterThan(2);
    }

    @Test
    void runSoonRunsOnTheJobsThreadWhileItRunsAndIsRefusedOtherwise() throws Exception {
        FixedDelayJob job = new FixedDelayJob("Soon", () -> { });
        assertThat(job.runSoon(() -> { })).isFalse();

        job.start(threads, 1, 60, TimeUnit.MINUTES);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        assertThat(job.runSoon(() -> {
            ranOn.set(Thread.currentThread());
            ran.countDown();
        })).isTrue();
        assertThat(ran.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn.get()).isSameAs(made.get(0));

        job.stop();
        assertThat(job.runSoon(() -> { })).isFalse();
    }

    @Test
    void aTickThatLeftWorkBehindIsFollowedByAnotherSoonAndNothingRunsAfterStop() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        AtomicReference<FixedDelayJob> self = new AtomicReference<>();
        FixedDelayJob job = new FixedDelayJob("Catching up", () -> {
            if (ticks.incrementAndGet() < 3) {
                self.get().tickAgainAfter(10, TimeUnit.MILLISECONDS);
            }
        });
        self.set(job);

        job.start(threads, 0, 60, TimeUnit.MINUTES);
        await(() -> ticks.get() == 3);
        Thread.sleep(100);
        assertThat(ticks).as("three ticks, not an hour apart, then none until the next regular one").hasValue(3);

        job.tickAgainAfter(200, TimeUnit.MILLISECONDS);
        job.stop();
        made.get(0).join(1_000);
        assertThat(made.get(0).isAlive()).as("a pending extra tick does not keep the thread").isFalse();
        Thread.sleep(300);
        assertThat(ticks).hasValue(3);
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(done.getAsBoolean()).isTrue();
    }

    @Test
    void stopLetsTheRunningTickFinish() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        FixedDelayJob job = new FixedDelayJob("Slow", () -> {
            started.countDown();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            finished.incrementAndGet();
        });

        job.start(threads, 0, 1, TimeUnit.MINUTES);
        assertThat(started.await(2, TimeUnit.SECONDS)).isTrue();
        job.stop();

        assertThat(finished).hasValue(1);
    }

    @Test
    void aConnectionFailurePausesTheJobWithOneLineWhileTheDatabaseIsUnreachable() throws Exception {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(FixedDelayJob.class.getName());
        logger.addHandler(handler);
        DatabaseAvailability database = new DatabaseAvailability(); // no probe: stays closed once closed
        AtomicInteger attempts = new AtomicInteger();
        FixedDelayJob job = new FixedDelayJob("Claiming", () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException(new SQLException("Connection refused", "08001"));
        }, () -> database);
        try {
            job.start(threads, 0, 20, TimeUnit.MILLISECONDS);
            Thread.sleep(300);
            job.stop();
        } finally {
            logger.removeHandler(handler);
        }

        // the first tick failed and closed the gate; the others were skipped without touching the database
        assertThat(attempts).hasValue(1);
        assertThat(database.open()).isFalse();
        assertThat(logged).hasSize(1);
        assertThat(logged.get(0).getLevel()).isEqualTo(Level.WARNING);
        assertThat(logged.get(0).getThrown()).isNull();
        assertThat(logged.get(0).getMessage()).startsWith("Claiming paused: the database is unreachable (SQLException"
                + " (SQLState 08001)");
    }
}
