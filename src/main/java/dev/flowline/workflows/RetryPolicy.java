package dev.flowline.workflows;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How a failed run is retried: up to {@code maxAttempts} attempts in all, waiting a fixed delay or an exponentially
 * growing one (doubling from {@code initialDelaySeconds}, capped at {@code maxDelaySeconds}) with full jitter, so
 * that many failing runs do not retry in lockstep.
 */
public record RetryPolicy(int maxAttempts, Backoff backoff, int initialDelaySeconds, int maxDelaySeconds) {

    public enum Backoff { FIXED, EXPONENTIAL }

    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Backoff.EXPONENTIAL, 10, 600);

    /** The wait before attempt {@code attempt + 1} after attempt {@code attempt} (1-based) failed. */
    public Duration delayAfter(int attempt, RandomGenerator random) {
        if (backoff == Backoff.FIXED) {
            return Duration.ofSeconds(initialDelaySeconds);
        }
        long ceiling = Math.min(maxDelaySeconds, initialDelaySeconds * (1L << Math.min(30, Math.max(0, attempt - 1))));
        long millis = ceiling * 1000L;
        return Duration.ofMillis(millis / 2 + random.nextLong(millis / 2 + 1));
    }
}
