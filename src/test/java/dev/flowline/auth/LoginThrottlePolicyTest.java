package dev.flowline.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottlePolicyTest {

    @Test
    void delaysStartAfterTheFreeFailuresAndDoubleUpToTheMaximum() {
        LoginThrottlePolicy policy = new LoginThrottlePolicy(5, Duration.ofSeconds(30), Duration.ofMinutes(15),
                Duration.ofHours(24));
        assertThat(policy.delayAfter(4)).isEmpty();
        assertThat(policy.delayAfter(5)).hasValue(Duration.ofSeconds(30));
        assertThat(policy.delayAfter(6)).hasValue(Duration.ofSeconds(60));
        assertThat(policy.delayAfter(9)).hasValue(Duration.ofMinutes(8));
        assertThat(policy.delayAfter(10)).hasValue(Duration.ofMinutes(15));
        assertThat(policy.delayAfter(10_000)).hasValue(Duration.ofMinutes(15));
    }
}
