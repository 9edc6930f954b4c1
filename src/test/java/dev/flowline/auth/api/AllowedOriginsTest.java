package dev.flowline.auth.api;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AllowedOriginsTest {

    @Test
    void thePublicBaseUrlAndTheConfiguredOriginsAreAllowedExactly() {
        AllowedOrigins origins = new AllowedOrigins();
        origins.publicBaseUrl = "https://app.example.com/flowline/";
        origins.extraOrigins = Optional.of("http://localhost:3000, https://admin.example.com:8443");
        origins.collect();
        assertThat(origins.allows("https://app.example.com")).isTrue();
        assertThat(origins.allows("https://APP.example.com:443")).isTrue();
        assertThat(origins.allows("http://localhost:3000")).isTrue();
        assertThat(origins.allows("https://admin.example.com:8443")).isTrue();

        assertThat(origins.allows("http://app.example.com")).as("another scheme").isFalse();
        assertThat(origins.allows("https://app.example.com.evil.example")).isFalse();
        assertThat(origins.allows("https://admin.example.com")).as("another port").isFalse();
        assertThat(origins.allows("null")).isFalse();
        assertThat(origins.allows(null)).isFalse();
    }
}
