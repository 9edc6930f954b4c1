package dev.flowline.workspaces;

import dev.flowline.workspaces.WorkspaceErrors.InvitationMailLimitException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * How often invitation emails may go out, so that nobody can use a workspace to mail an address over and over:
 * an invitation is resent at most once per {@code flowline.workspaces.invitation-resend-interval-seconds} (its first
 * resend at any time), and a workspace sends at most {@code .invitation-mails-per-window} invitation emails (new
 * and resent) per {@code .invitation-mail-window-seconds}. Both are decided in the database by one guarded
 * statement each, so concurrent requests cannot overshoot; a refusal is a 429 with Retry-After.
 */
@ApplicationScoped
public class InvitationMailPacing {

    @Inject
    InvitationRepository invitations;

    @Inject
    @ConfigProperty(name = "flowline.workspaces.invitation-resend-interval-seconds", defaultValue = "600")
    long resendIntervalSeconds;

    @Inject
    @ConfigProperty(name = "flowline.workspaces.invitation-mails-per-window", defaultValue = "50")
    int mailsPerWindow;

    @Inject
    @ConfigProperty(name = "flowline.workspaces.invitation-mail-window-seconds", defaultValue = "3600")
    long mailWindowSeconds;

    public Duration resendInterval() {
        return Duration.ofSeconds(resendIntervalSeconds);
    }

    /** Takes one of the workspace's invitation emails of the current window, or refuses with a 429. */
    public void takeWorkspaceMail(UUID workspaceId, Instant now) {
        Duration window = Duration.ofSeconds(mailWindowSeconds);
        if (!invitations.takeInvitationMail(workspaceId, now, window, mailsPerWindow)) {
            Instant ends = invitations.invitationMailWindowEnd(workspaceId, window).orElse(now.plus(window));
            throw new InvitationMailLimitException(mailsPerWindow, positive(Duration.between(now, ends)));
        }
    }

    static Duration positive(Duration wait) {
        return wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait;
    }
}
