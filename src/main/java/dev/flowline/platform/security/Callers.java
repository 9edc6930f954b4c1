package dev.flowline.platform.security;

import java.security.Principal;
import java.util.Optional;
import java.util.UUID;

/**
 * The user a container's caller principal stands for. Signed-in callers are named by their user id
 * ({@code SessionAuthenticationMechanism}); an anonymous caller has no principal on Payara and one named
 * "anonymous" on WildFly (Elytron), so "signed in" means "named by a user id", whatever the server.
 */
public final class Callers {

    private Callers() {
    }

    public static Optional<UUID> userId(Principal principal) {
        if (principal == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(principal.getName()));
        } catch (IllegalArgumentException notAUser) {
            return Optional.empty();
        }
    }
}
