package dev.flowline.users;

import java.util.UUID;

/**
 * Fired (synchronously, inside the signup transaction) when an account is created, so other areas set up what
 * every account has (its personal workspace) without the accounts area knowing them. An observer's failure rolls
 * the signup back.
 */
public record UserSignedUp(UUID userId, String name) {
}
