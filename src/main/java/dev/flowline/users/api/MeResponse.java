package dev.flowline.users.api;

import dev.flowline.users.AccountPlan;
import dev.flowline.users.User;
import jakarta.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/** The signed-in user's account. Never carries the password hash. */
public record MeResponse(UUID id, String email, String name, boolean emailVerified, AccountPlan plan,
                         JsonObject settings, Instant createdAt) {

    public static MeResponse of(User user) {
        return new MeResponse(user.id(), user.email(), user.name(), user.emailVerified(), user.plan(),
                user.settings(), user.createdAt());
    }
}
