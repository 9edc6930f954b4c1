package dev.flowline.users;

import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * A user account as the services see it. {@code passwordHash} is the self-describing PBKDF2 string; it never
 * leaves the service layer.
 */
public record User(
        UUID id,
        String email,
        String name,
        String passwordHash,
        Instant emailVerifiedAt,
        AccountPlan plan,
        String stripeCustomerId,
        JsonObject settings,
        Instant createdAt,
        Instant updatedAt) {

    public boolean emailVerified() {
        return emailVerifiedAt != null;
    }
}
