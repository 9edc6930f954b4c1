package dev.flowline.testing;

import dev.flowline.users.NewUser;
import dev.flowline.users.User;
import dev.flowline.users.UserRepository;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.Workspace;
import dev.flowline.workspaces.WorkspaceRepository;

import java.time.Instant;
import java.util.UUID;

/** New rows with unique names for each test, so tests never depend on each other's data or order. */
public final class Fixtures {

    /** A PBKDF2 hash in the stored format; no test logs in with it. */
    private static final String PASSWORD_HASH = "PBKDF2WithHmacSHA256:600000:c2FsdA==:aGFzaA==";

    private Fixtures() {
    }

    /** An address no other test uses, in lower case. */
    public static String newEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    /** A new account created at {@code at}; its address has a mixed-case domain, as people type them. */
    public static User newUser(UserRepository users, Instant at) {
        String email = "user-" + UUID.randomUUID() + "@Example.com";
        return users.create(new NewUser(email, "Name of " + email, PASSWORD_HASH), at).orElseThrow();
    }

    /** A new team workspace (not personal, plan WORKSPACE) owned by {@code owner}, created at {@code at}. */
    public static Workspace newWorkspace(WorkspaceRepository workspaces, User owner, Instant at) {
        return workspaces.create("Team " + UUID.randomUUID().toString().substring(0, 8), false, PlanTier.WORKSPACE,
                owner.id(), at);
    }
}
