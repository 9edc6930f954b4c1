package dev.flowline.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * How failed logins of one account from one client address are slowed down: {@code freeFailures} attempts go
 * through at once; from then on each attempt that is let through starts a delay of {@code firstDelay}, doubling with
 * every further failure up to {@code maxDelay}. Attempts during a delay are refused but still counted. Failures are
 * forgotten after a success, a password reset, or {@code forgetAfter} without attempts.
 */
public record LoginThrottlePolicy(int freeFailures, Duration firstDelay, Duration maxDelay, Duration forgetAfter) {

    /** The delay that starts once {@code failures} attempts have been counted, if any. */
    public Optional<Duration> delayAfter(int failures) {
        if (failures < freeFailures) {
            return Optional.empty();
        }
        int doublings = Math.min(failures - freeFailures, 30);
        Duration delay = firstDelay.multipliedBy(1L << doublings);
        return Optional.of(delay.compareTo(maxDelay) > 0 ? maxDelay : delay);
    }
}
