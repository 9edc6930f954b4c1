package dev.flowline.workflows;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How a failed run is retried: up to {@code maxAttempts} attempts in all. {@code FIXED} waits exactly
 * {@code initialDelaySeconds} between attempts. {@code EXPONENTIAL} doubles a ceiling from
 * {@code initialDelaySeconds} (after attempt 1) up to {@code maxDelaySeconds}, and waits a random time between half
 * the ceiling and the ceiling ("equal jitter"), so that runs that failed together (a downstream outage) do not retry
 * in lockstep.
 * <p>
 * Why equal jitter and not AWS's "full jitter" (anywhere between 0 and the ceiling): full jitter spreads retries
 * best when many clients contend for one resource and only the total work counts. A workflow's attempts are few (at
 * most 10) and each usually calls a service that has just failed: a full-jitter retry may come milliseconds after
 * the failure, spending an attempt on a service still down and ignoring the wait its author set (a rate limit's
 * window, a deploy). Equal jitter keeps at least half the wait and still spreads the retries over the other half.
 */
public record RetryPolicy(int maxAttempts, Backoff backoff, int initialDelaySeconds, int maxDelaySeconds) {

    public enum Backoff { FIXED, EXPONENTIAL }

    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Backoff.EXPONENTIAL, 10, 600);

    /** The wait before attempt {@code attempt + 1} after attempt {@code attempt} (1-based) failed. */
    public Duration delayAfter(int attempt, RandomGenerator random) {
        long millis = ceilingAfter(attempt).toMillis();
        if (backoff == Backoff.FIXED) {
            return Duration.ofMillis(millis);
        }
        return Duration.ofMillis(millis / 2 + random.nextLong(millis - millis / 2 + 1));
    }

    /**
     * The longest wait after attempt {@code attempt} failed: {@code initialDelaySeconds} for {@code FIXED}; for
     * {@code EXPONENTIAL} {@code initialDelaySeconds * 2^(attempt - 1)}, at most {@code maxDelaySeconds} (the waits
     * are at least half of it).
     */
    public Duration ceilingAfter(int attempt) {
        if (backoff == Backoff.FIXED) {
            return Duration.ofSeconds(initialDelaySeconds);
        }
        long grown = initialDelaySeconds * (1L << Math.min(30, Math.max(0, attempt - 1)));
        return Duration.ofSeconds(Math.min(maxDelaySeconds, grown));
    }

    /** Markdown for the API documentation, next to the definition format. */
    public static String documentation() {
        return """
                **Retries** (`retryPolicy`; default %d attempts, `%s` from %d s up to %d s): a failed step is \
                retried as a new attempt of the run (finished steps are not run again) until `maxAttempts` attempts \
                in all, then the run is dead-lettered. Server errors (5xx), 408, 429, timeouts and network errors are \
                retried; other 4xx answers, missing template references, refused addresses and exceeded budgets are \
                not. `FIXED` waits exactly `initialDelaySeconds` between \
                attempts. `EXPONENTIAL` waits, after attempt *n* failed, a random time between half and all of \
                `min(maxDelaySeconds, initialDelaySeconds * 2^(n-1))` ("equal jitter": at least half the wait, so \
                a retry never comes right after the failure, while runs that failed together spread out).\
                """.formatted(DEFAULT.maxAttempts, DEFAULT.backoff, DEFAULT.initialDelaySeconds, DEFAULT.maxDelaySeconds);
    }
}
