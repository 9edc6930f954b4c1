package dev.flowline.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A token bucket (Bucket4j) per key, e.g. per client address: {@code permits} requests per {@code period}, refilled
 * gradually, at most {@code permits} at once. The buckets live in a bounded Caffeine cache that forgets a key once its
 * bucket would be full again, so a flood of distinct keys costs bounded memory (an evicted key starts full).
 */
public final class KeyedRateLimiter {

    private final long permits;
    private final Duration period;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    public KeyedRateLimiter(long permits, Duration period, long maxKeys) {
        this(permits, period, maxKeys, System::nanoTime);
    }

    /** With a clock in nanoseconds that tests can move. */
    KeyedRateLimiter(long permits, Duration period, long maxKeys, LongSupplier nanoTime) {
        this.permits = permits;
        this.period = period;
        this.time = new NanoTimeMeter(nanoTime);
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(period)
                .ticker(nanoTime::getAsLong).build();
    }

    /** Takes one permit for {@code key}: empty when granted, else how long until one is free. */
    public Optional<Duration> tryAcquire(String key) {
        ConsumptionProbe probe = buckets.get(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(permits).refillGreedy(permits, period))
                .withCustomTimePrecision(time)
                .build();
    }

    private record NanoTimeMeter(LongSupplier nanoTime) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            return nanoTime.getAsLong();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }
}
