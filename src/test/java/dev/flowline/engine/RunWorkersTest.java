package dev.flowline.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's worker threads ({@link RunWorkers}): made once by the container's thread factory, each taking the next
 * run from the queue; a run that lets an Error escape costs no worker; stopping returns the runs not started and lets
 * the running ones finish.
 */
class RunWorkersTest {

    /** Threads the factory made (a stand-in for the container's ManagedThreadFactory). */
    private final AtomicInteger made = new AtomicInteger();
    private final ThreadFactory threads = work -> {
        made.incrementAndGet();
        return new Thread(work);
    };
    private final CountDownLatch release = new CountDownLatch(1);
    private RunWorkers workers;

    @AfterEach
    void stop() {
        release.countDown();
        if (workers != null) {
            workers.stop();
        }
    }

    @Test
    void aRunGivenToTheWorkersRunsOnAThreadTheFactoryMadeAtStartAndMakesNoOther() throws Exception {
        workers = new RunWorkers(threads, 2);
        assertThat(made).as("made once, at start").hasValue(2);
        Set<String> ranOn = ConcurrentHashMap.newKeySet();
        CountDownLatch ran = new CountDownLatch(100);

        for (int i = 0; i < 100; i++) {
            assertThat(workers.execute(() -> {
                ranOn.add(Thread.currentThread().getName());
                ran.countDown();
            })).isTrue();
        }

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn).allSatisfy(name -> assertThat(name).startsWith("flowline: run worker "));
        assertThat(made).as("no thread per run").hasValue(2);
    }

    @Test
    void aWorkerThatAnErrorEndedIsReplacedAndTheNextRunsRun() throws Exception {
        workers = new RunWorkers(threads, 1);
        CountDownLatch next = new CountDownLatch(3);

        workers.execute(() -> {
            throw new StackOverflowError();
        });
        for (int i = 0; i < 3; i++) {
            workers.execute(next::countDown);
        }

        assertThat(next.await(10, TimeUnit.SECONDS)).as("the runs after it ran").isTrue();
        assertThat(made).as("one more worker, in place of the dead one").hasValue(2);
        assertThat(workers.threads()).isEqualTo(1);
    }

    @Test
    void runsGivenWhileEveryWorkerIsBusyWaitAndRunWhenOneFrees() throws Exception {
        workers = new RunWorkers(threads, 2);
        CountDownLatch busy = new CountDownLatch(2);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(12);
        for (int i = 0; i < 2; i++) {
            int n = i;
            workers.execute(() -> {
                busy.countDown();
                await(release);
                ran.add(n);
                all.countDown();
            });
        }
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 2; i < 12; i++) {
            int n = i;
            assertThat(workers.execute(() -> {
                ran.add(n);
                all.countDown();
            })).as("queued, not refused").isTrue();
        }
        assertThat(ran).as("both workers are busy").isEmpty();

        release.countDown();

        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    }

    @Test
    void stoppingReturnsTheRunsNotStartedLetsTheRunningOneFinishAndTakesNoMore() throws Exception {
        workers = new RunWorkers(threads, 1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        Runnable running = () -> {
            started.countDown();
            await(release);
            finished.incrementAndGet();
        };
        Runnable waiting = finished::incrementAndGet;
        workers.execute(running);
        workers.execute(waiting);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(workers.stop()).as("never started: its lease is the caller's to give back").containsExactly(waiting);
        assertThat(workers.execute(finished::incrementAndGet)).as("refused after stop").isFalse();
        assertThat(workers.awaitEnd(200)).as("the running one is not interrupted").isFalse();

        release.countDown();
        assertThat(workers.awaitEnd(10_000)).as("the workers end after it").isTrue();
        assertThat(finished).as("only the running one ran").hasValue(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
