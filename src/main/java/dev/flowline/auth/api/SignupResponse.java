package dev.flowline.auth.api;

import dev.flowline.users.User;

import java.time.Instant;
import java.util.UUID;

/** The new account (GET /me, the Location, has the rest). Never carries the password hash. */
public record SignupResponse(UUID id, String email, String name, boolean emailVerified, Instant createdAt) {

    static SignupResponse of(User user) {
        return new SignupResponse(user.id(), user.email(), user.name(), user.emailVerified(), user.createdAt());
    }
}
