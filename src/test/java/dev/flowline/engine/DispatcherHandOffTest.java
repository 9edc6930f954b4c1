package dev.flowline.engine;

import dev.flowline.runs.ClaimedRun;
import dev.flowline.runs.ReservedWorker;
import dev.flowline.workflows.RetryPolicy;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-off of a run accepted on this instance ({@link Dispatcher#reserve}): a free worker's slot is held by the
 * accepting transaction, and after the commit the worker runs the run handed to it, leased under a claim holder of
 * its own, without a claim statement; a rollback, or a commit that handed nothing (the run was queued), frees the slot.
 */
class DispatcherHandOffTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private final RecordingQueue queue = new RecordingQueue();
    /** What each accepting "transaction" registered, in order. */
    private final List<Synchronization> registered = new CopyOnWriteArrayList<>();
    private final BlockingQueue<ClaimedRun> executed = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    /** Runs that end as soon as the engine stops (the others hang until the test ends). */
    private final Set<ClaimedRun> stopsWithTheEngine = ConcurrentHashMap.newKeySet();
    private Dispatcher dispatcher;

    @AfterEach
    void stop() {
        release.countDown();
        if (dispatcher != null) {
            dispatcher.stop();
        }
    }

    private Dispatcher dispatcher(int workers) {
        dispatcher = EngineUnderTest.dispatcher(queue, new RunExecutor() {
            @Override
            public void execute(ClaimedRun claimed, EngineLease lease) {
                executed.add(claimed);
                try {
                    if (stopsWithTheEngine.contains(claimed)) {
                        while (!lease.stopping()) { // a walk gives its run back before its next step
                            Thread.sleep(10);
                        }
                        return;
                    }
                    release.await(); // keeps its worker busy until the test ends
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, workers, 8, NOW);
        dispatcher.pollMillis = 60_000; // no poll during the test: only hand-offs start runs
        dispatcher.transactions = (TransactionSynchronizationRegistry) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[]{TransactionSynchronizationRegistry.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("registerInterposedSynchronization")) {
                        registered.add((Synchronization) args[0]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        dispatcher.start();
        return dispatcher;
    }

    private Synchronization transactionOf(int index) {
        return registered.get(index);
    }

    @Test
    void aRunHandedToAReservedWorkerStartsAfterTheCommitUnderItsOwnHolderWithoutAClaim() throws Exception {
        Dispatcher engine = dispatcher(2);
        ReservedWorker first = engine.reserve().orElseThrow();
        ReservedWorker second = engine.reserve().orElseThrow();
        assertThat(first.holder()).startsWith(engine.owner() + "#").isNotEqualTo(second.holder());
        assertThat(first.lease()).isEqualTo(engine.duration());

        ClaimedRun run = EngineUnderTest.claimed(RetryPolicy.DEFAULT, NOW);
        first.handOff(run);
        assertThat(executed.poll(200, TimeUnit.MILLISECONDS)).as("nothing starts before the commit").isNull();
        transactionOf(0).afterCompletion(Status.STATUS_COMMITTED);

        assertThat(executed.poll(10, TimeUnit.SECONDS)).as("started on the reserved worker").isSameAs(run);
        assertThat(queue.claimOwners).as("no claim statement").isEmpty();
    }

    @Test
    void aWorkerIsReservedOnlyWhileOneIsFreeAndARollbackOrAQueuedRunFreesIt() throws Exception {
        Dispatcher engine = dispatcher(1);
        ReservedWorker rolledBack = engine.reserve().orElseThrow();
        assertThat(engine.reserve()).as("the only worker is reserved").isEmpty();

        rolledBack.handOff(EngineUnderTest.claimed(RetryPolicy.DEFAULT, NOW));
        transactionOf(0).afterCompletion(Status.STATUS_ROLLEDBACK);
        assertThat(executed.poll(200, TimeUnit.MILLISECONDS)).as("a rolled back run is not started").isNull();

        engine.reserve().orElseThrow(); // the rollback freed it; this accept queues its run (hands nothing off)
        transactionOf(1).afterCompletion(Status.STATUS_COMMITTED);
        Optional<ReservedWorker> again = engine.reserve();
        assertThat(again).as("a commit without a hand-off freed it").isPresent();

        ClaimedRun run = EngineUnderTest.claimed(RetryPolicy.DEFAULT, NOW);
        again.orElseThrow().handOff(run);
        transactionOf(2).afterCompletion(Status.STATUS_COMMITTED);
        assertThat(executed.poll(10, TimeUnit.SECONDS)).isSameAs(run);
        assertThat(engine.reserve()).as("busy running it").isEmpty();
    }

    @Test
    void aStoppingEngineReservesNothing() {
        Dispatcher engine = dispatcher(2);
        engine.stop();
        assertThat(engine.reserve()).isEmpty();
    }

    /**
     * On shutdown the runs that stop within {@code shutdown-seconds} (before their next step) are not given back; one
     * still running then is, under its holder; a run whose accepting transaction commits after the engine stopped is
     * not started (its lease expires) and its slot is freed.
     */
    @Test
    void stoppingWaitsForRunningRunsThenGivesBackTheOnesStillRunning() throws Exception {
        Dispatcher engine = dispatcher(3);
        ClaimedRun ends = EngineUnderTest.claimed(RetryPolicy.DEFAULT, NOW);
        ClaimedRun hangs = EngineUnderTest.claimed(RetryPolicy.DEFAULT, NOW);
        stopsWithTheEngine.add(ends);
        engine.reserve().orElseThrow().handOff(ends);
        engine.reserve().orElseThrow().handOff(hangs);
        ReservedWorker late = engine.reserve().orElseThrow();
        transactionOf(0).afterCompletion(Status.STATUS_COMMITTED);
        transactionOf(1).afterCompletion(Status.STATUS_COMMITTED);
        assertThat(List.of(executed.poll(10, TimeUnit.SECONDS), executed.poll(10, TimeUnit.SECONDS)))
                .containsExactlyInAnyOrder(ends, hangs);

        long began = System.nanoTime();
        engine.stop();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).as("waited shutdown-seconds (1)")
                .isGreaterThanOrEqualTo(900);
        assertThat(queue.released).as("only the run still running").containsExactly(
                Map.entry(hangs.run().leasedBy(), List.of(hangs.run().id())));

        late.handOff(EngineUnderTest.claimed(RetryPolicy.DEFAULT, NOW));
        transactionOf(2).afterCompletion(Status.STATUS_COMMITTED);
        assertThat(executed.poll(200, TimeUnit.MILLISECONDS)).as("not started after the stop").isNull();
    }
}
