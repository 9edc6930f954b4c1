package dev.flowline.workflows.api;

import dev.flowline.workflows.RetryPolicy;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

public record RetryPolicyRequest(
        @NotNull @Min(1) @Max(10) Integer maxAttempts,
        @NotNull RetryPolicy.Backoff backoff,
        @NotNull @Min(1) @Max(86_400) Integer initialDelaySeconds,
        @NotNull @Min(1) @Max(86_400) Integer maxDelaySeconds) {

    RetryPolicy toPolicy() {
        return new RetryPolicy(maxAttempts, backoff, initialDelaySeconds, maxDelaySeconds);
    }
}
