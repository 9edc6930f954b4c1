package dev.flowline.workspaces;

import dev.flowline.platform.errors.ResourceNotFoundException;
import dev.flowline.users.User;
import dev.flowline.users.UserRepository;
import dev.flowline.workspaces.WorkspaceErrors.EmailNotVerifiedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.UUID;

/**
 * The gate of actions that spend what a workspace is given or mail other people: signing up with any address is
 * free, so creating team workspaces, inviting, and starting runs (by hand, rerun, requeue, a schedule set or
 * resumed) need a verified email address (403 {@code email-not-verified}).
 */
@ApplicationScoped
public class VerifiedEmail {

    public static final String TO_START_RUNS = "Verify your email address before you start runs or set them going.";

    @Inject
    UserRepository users;

    /** The user, whose email address is verified; 403 with {@code detail} otherwise. */
    public User require(UUID userId, String detail) {
        User user = users.findById(userId).orElseThrow(() -> new ResourceNotFoundException("No such user."));
        if (!user.emailVerified()) {
            throw new EmailNotVerifiedException(detail);
        }
        return user;
    }
}
