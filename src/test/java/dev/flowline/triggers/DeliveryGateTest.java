package dev.flowline.triggers;

import dev.flowline.triggers.TriggerErrors.DeliveriesBusyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryGateTest {

    private final ExecutorService senders = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        senders.shutdownNow();
    }

    private static DeliveryGate gate(int maxConcurrent, long maxWaitMillis) {
        DeliveryGate gate = new DeliveryGate();
        gate.maxConcurrent = maxConcurrent;
        gate.maxWaitMillis = maxWaitMillis;
        gate.open();
        return gate;
    }

    @Test
    void noMoreThanTheLimitAreInsideAtOnceAndTheOthersWaitTheirTurn() throws Exception {
        DeliveryGate gate = gate(2, 10_000);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Future<?>[] deliveries = new Future<?>[20];
        for (int i = 0; i < deliveries.length; i++) {
            deliveries[i] = senders.submit(() -> {
                start.await();
                return gate.through(() -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    sleep(5);
                    inside.decrementAndGet();
                    return true;
                });
            });
        }
        start.countDown();
        for (Future<?> delivery : deliveries) {
            assertThat(delivery.get(10, TimeUnit.SECONDS)).isEqualTo(true);
        }

        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void aDeliveryThatWaitsTooLongIsAnsweredWithRetryAfter() throws Exception {
        DeliveryGate gate = gate(1, 50);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Future<Boolean> holder = senders.submit(() -> gate.through(() -> {
            entered.countDown();
            await(leave);
            return true;
        }));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> gate.through(() -> true)).isInstanceOfSatisfying(DeliveriesBusyException.class,
                busy -> {
                    assertThat(busy.status()).isEqualTo(429);
                    assertThat(busy.retryAfterSeconds()).isEqualTo(1);
                });

        leave.countDown();
        assertThat(holder.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(gate.through(() -> "in")).as("the place is free again").isEqualTo("in");
    }

    @Test
    void aPlaceIsGivenBackWhenTheDeliveryFails() {
        DeliveryGate gate = gate(1, 50);

        assertThatThrownBy(() -> gate.through(() -> {
            throw new IllegalStateException("refused");
        })).hasMessage("refused");

        assertThat(gate.through(() -> "in")).isEqualTo("in");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
