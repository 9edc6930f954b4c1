package dev.flowline.platform.security;

import java.util.Objects;
import java.util.UUID;

/**
 * Who made a change, as the areas name it in the events they fire: a signed-in user, an operator of the
 * installation (a user listed in {@code flowline.operators}, acting as one), Stripe (a signed webhook), the system
 * (background work) or someone anonymous holding an emailed link (declining an invitation signed out). Users and
 * operators carry their user id.
 */
public record Actor(Kind kind, UUID userId) {

    public enum Kind { USER, OPERATOR, STRIPE, SYSTEM, ANONYMOUS }

    public Actor {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.USER || kind == Kind.OPERATOR) != (userId != null)) {
            throw new IllegalArgumentException("users and operators, and only they, carry a user id");
        }
    }

    public static Actor user(UUID userId) {
        return new Actor(Kind.USER, userId);
    }

    public static Actor operator(UUID userId) {
        return new Actor(Kind.OPERATOR, userId);
    }

    public static Actor stripe() {
        return new Actor(Kind.STRIPE, null);
    }

    public static Actor system() {
        return new Actor(Kind.SYSTEM, null);
    }

    public static Actor anonymous() {
        return new Actor(Kind.ANONYMOUS, null);
    }
}
