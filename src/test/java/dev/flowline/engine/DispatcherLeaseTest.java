package dev.flowline.engine;

import dev.flowline.runs.ClaimedRun;
import dev.flowline.workflows.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link Dispatcher} leases each claim under a holder of its own: an instance that froze past its leases, lost a
 * run to another instance and then claimed that run again (it was parked, or given back, meanwhile) must not let the
 * walk that lost the lease write under the new claim. Both walks run on one instance with one instance name; only
 * the holder tells them apart, for every write (the walk's own, and the dispatcher's renewals and give-backs).
 */
class DispatcherLeaseTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private final RecordingQueue queue = new RecordingQueue();
    @Test
    void aRunClaimedAgainByTheSameInstanceIsLeasedUnderANewHolderAndGivenBackUnderEach() throws Exception {
        ClaimedRun run = EngineUnderTest.claimed(RetryPolicy.DEFAULT, NOW);
        queue.leaseToClaimer = true;
        queue.toClaim.add(List.of(run));
        queue.toClaim.add(List.of(run)); // the same run again: lost meanwhile, parked by its new owner, due
        List<String> holders = new CopyOnWriteArrayList<>();
        CountDownLatch bothStarted = new CountDownLatch(2);
        CountDownLatch frozen = new CountDownLatch(1);
        Dispatcher dispatcher = dispatcher(new RunExecutor() {
            @Override
            public void execute(ClaimedRun claimed, EngineLease lease) {
                holders.add(claimed.run().leasedBy());
                bothStarted.countDown();
                try {
                    // the first walk hangs mid-step (its instance was frozen); the second runs on: both in flight
                    frozen.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });

        dispatcher.start();
        try {
            assertThat(bothStarted.await(10, TimeUnit.SECONDS)).as("both claims ran").isTrue();
            dispatcher.stop(); // shutdown-seconds (1) pass with both walks in flight: both are given back
        } finally {
            frozen.countDown();
        }

        assertThat(holders).hasSize(2).doesNotHaveDuplicates()
                .allSatisfy(holder -> assertThat(holder).startsWith(dispatcher.owner() + "#"));
        assertThat(queue.claimOwners.subList(0, 2)).containsExactlyInAnyOrderElementsOf(holders);
        assertThat(queue.released).as("each under the holder of its own claim")
                .containsExactlyInAnyOrder(Map.entry(holders.get(0), List.of(run.run().id())),
                        Map.entry(holders.get(1), List.of(run.run().id())));
    }

    private Dispatcher dispatcher(RunExecutor executor) {
        return EngineUnderTest.dispatcher(queue, executor, 2, 1, NOW);
    }
}
