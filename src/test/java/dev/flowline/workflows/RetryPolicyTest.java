package dev.flowline.workflows;

import dev.flowline.workflows.RetryPolicy.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/** The waits of each backoff kind: exact for FIXED; for EXPONENTIAL growth, the cap and equal jitter's bounds. */
class RetryPolicyTest {

    /** A random that always draws its lowest or its highest value, so a wait's bounds are hit exactly. */
    private static RandomGenerator always(boolean highest) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only bounded draws are expected");
            }

            @Override
            public long nextLong(long bound) {
                return highest ? bound - 1 : 0;
            }
        };
    }

    private static final RandomGenerator LOWEST = always(false);
    private static final RandomGenerator HIGHEST = always(true);

    @Test
    void fixedWaitsExactlyTheInitialDelayAfterEveryAttempt() {
        RetryPolicy fixed = new RetryPolicy(5, Backoff.FIXED, 7, 60);

        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(fixed.delayAfter(attempt, LOWEST)).isEqualTo(Duration.ofSeconds(7));
            assertThat(fixed.delayAfter(attempt, HIGHEST)).isEqualTo(Duration.ofSeconds(7));
        }
    }

    @Test
    void exponentialDoublesItsCeilingFromTheInitialDelayUpToTheMaximum() {
        RetryPolicy exponential = new RetryPolicy(10, Backoff.EXPONENTIAL, 10, 100);

        assertThat(IntStream.rangeClosed(1, 6).mapToObj(exponential::ceilingAfter))
                .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
                        Duration.ofSeconds(80), Duration.ofSeconds(100), Duration.ofSeconds(100));
    }

    @Test
    void equalJitterWaitsBetweenHalfTheCeilingAndTheCeiling() {
        RetryPolicy exponential = new RetryPolicy(10, Backoff.EXPONENTIAL, 10, 100);

        for (int attempt = 1; attempt <= 6; attempt++) {
            Duration ceiling = exponential.ceilingAfter(attempt);
            assertThat(exponential.delayAfter(attempt, LOWEST)).as("attempt %d", attempt).isEqualTo(ceiling.dividedBy(2));
            assertThat(exponential.delayAfter(attempt, HIGHEST)).as("attempt %d", attempt).isEqualTo(ceiling);
        }
    }

    @Test
    void seededWaitsStayWithinTheirBoundsAndSpreadOverThem() {
        RetryPolicy exponential = new RetryPolicy(10, Backoff.EXPONENTIAL, 3, 20);
        Random random = new Random(42);

        for (int attempt = 1; attempt <= 10; attempt++) {
            long ceiling = exponential.ceilingAfter(attempt).toMillis();
            long shortest = Long.MAX_VALUE;
            long longest = 0;
            for (int i = 0; i < 1_000; i++) {
                long millis = exponential.delayAfter(attempt, random).toMillis();
                shortest = Math.min(shortest, millis);
                longest = Math.max(longest, millis);
            }
            assertThat(shortest).as("attempt %d", attempt).isGreaterThanOrEqualTo(ceiling / 2)
                    .isLessThan(ceiling / 2 + ceiling / 20);
            assertThat(longest).as("attempt %d", attempt).isLessThanOrEqualTo(Math.min(ceiling, 20_000))
                    .isGreaterThan(ceiling - ceiling / 20);
        }
    }

    @Test
    void aHugeAttemptNumberStaysAtTheMaximumWithoutOverflowing() {
        RetryPolicy widest = new RetryPolicy(10, Backoff.EXPONENTIAL, 86_400, 86_400);
        RetryPolicy small = new RetryPolicy(10, Backoff.EXPONENTIAL, 1, 3_600);

        assertThat(widest.delayAfter(Integer.MAX_VALUE, HIGHEST)).isEqualTo(Duration.ofDays(1));
        assertThat(small.ceilingAfter(64)).isEqualTo(Duration.ofHours(1));
        assertThat(small.ceilingAfter(0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theDefaultIsThreeAttemptsGrowingFromTenSeconds() {
        assertThat(RetryPolicy.DEFAULT.delayAfter(1, LOWEST)).isEqualTo(Duration.ofSeconds(5));
        assertThat(RetryPolicy.DEFAULT.delayAfter(2, HIGHEST)).isEqualTo(Duration.ofSeconds(20));
        assertThat(RetryPolicy.documentation()).contains("equal jitter", "3 attempts", "`EXPONENTIAL` from 10 s up to 600 s");
    }
}
