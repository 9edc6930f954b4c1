package dev.flowline.auth;

import java.time.Instant;

/**
 * One counted login attempt: whether it may check the password ({@code admitted}), how many attempts from this
 * address have been counted without a success since, and the end of the delay now running, if any.
 */
public record LoginAttempt(boolean admitted, int failures, Instant blockedUntil) {
}
