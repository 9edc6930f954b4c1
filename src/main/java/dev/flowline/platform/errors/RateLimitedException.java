package dev.flowline.platform.errors;

import java.time.Duration;

/** Answered with HTTP 429 and a {@code Retry-After} header. */
public class RateLimitedException extends FlowlineException {

    private final Duration retryAfter;

    public RateLimitedException(String type, String title, String detail, Duration retryAfter) {
        super(type, title, detail);
        this.retryAfter = retryAfter;
    }

    /** Whole seconds, rounded up, never below one. */
    public long retryAfterSeconds() {
        long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    @Override
    public int status() {
        return 429;
    }
}
