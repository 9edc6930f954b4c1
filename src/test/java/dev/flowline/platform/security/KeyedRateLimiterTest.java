package dev.flowline.platform.security;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class KeyedRateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final KeyedRateLimiter limiter = new KeyedRateLimiter(3, Duration.ofMinutes(1), 1000, nanos::get);

    @Test
    void eachKeyHasItsOwnBucketThatRefillsGradually() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("a")).isEmpty();
        }
        assertThat(limiter.tryAcquire("a")).hasValueSatisfying(wait ->
                assertThat(wait).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(20)));
        assertThat(limiter.tryAcquire("b")).as("another key").isEmpty();

        nanos.addAndGet(Duration.ofSeconds(20).toNanos());
        assertThat(limiter.tryAcquire("a")).as("one permit back after a third of the minute").isEmpty();
        assertThat(limiter.tryAcquire("a")).isPresent();
    }

    @Test
    void aForgottenKeyStartsFull() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("a");
        }
        nanos.addAndGet(Duration.ofMinutes(2).toNanos());
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("a")).isEmpty();
        }
    }
}
