package dev.flowline.workspaces;

import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.errors.ResourceNotFoundException;
import dev.flowline.platform.mail.OutgoingMail;
import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.pagination.Page;
import dev.flowline.platform.security.OpaqueTokens;
import dev.flowline.users.User;
import dev.flowline.users.UserRepository;
import dev.flowline.workspaces.WorkspaceErrors.AlreadyMemberException;
import dev.flowline.workspaces.WorkspaceErrors.EmailNotVerifiedException;
import dev.flowline.workspaces.WorkspaceErrors.InvitationForAnotherEmailException;
import dev.flowline.workspaces.WorkspaceErrors.InvitationGoneException;
import dev.flowline.workspaces.WorkspaceErrors.InvitationNotFoundException;
import dev.flowline.workspaces.WorkspaceErrors.InvitationPendingException;
import dev.flowline.workspaces.WorkspaceErrors.InvitationResentRecentlyException;
import dev.flowline.workspaces.WorkspaceErrors.PersonalWorkspaceException;
import dev.flowline.workspaces.WorkspaceErrors.PlanFeatureException;
import dev.flowline.workspaces.WorkspaceErrors.SeatLimitReachedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Invitations by email: admins invite, revoke and resend; the invitee accepts (signed in with that verified
 * address) or declines. A pending invitation holds a seat until it is answered, revoked or expires. Nobody is
 * invited into a personal workspace (409 {@code personal-workspace}): invitations are the only way anyone but the
 * owner becomes a member, so a personal workspace stays its owner's alone.
 */
@ApplicationScoped
@Transactional
public class InvitationService {

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    InvitationRepository invitations;

    @Inject
    UserRepository users;

    @Inject
    WorkspaceAccess access;

    @Inject
    PlanCatalog plans;

    @Inject
    WorkspaceEmails emails;

    @Inject
    Event<OutgoingMail> mail;

    @Inject
    Event<WorkspaceActivity> activity;

    @Inject
    InvitationMailPacing pacing;

    @Inject
    VerifiedEmail verifiedEmail;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "flowline.workspaces.invitation-ttl-days", defaultValue = "7")
    int invitationTtlDays;

    public Invitation invite(UUID workspaceId, UUID actorId, String email, WorkspaceRole role) {
        access.require(workspaceId, actorId, WorkspaceRole.ADMIN);
        if (workspaces.findById(workspaceId).filter(Workspace::personal).isPresent()) {
            throw personalWorkspace();
        }
        if (role == WorkspaceRole.OWNER) {
            throw new InvalidInputException("Nobody is invited as owner: invite, then offer them the ownership.");
        }
        PlanLimits limits = plans.limits(workspaces.getPlan(workspaceId).orElseThrow());
        if (!limits.allowsInvitations()) {
            throw new PlanFeatureException(limits.tier(), "more than one member");
        }
        User inviter = verifiedInviter(actorId);
        String address = email.strip();
        if (users.findByEmail(address).filter(u -> workspaces.isMember(workspaceId, u.id())).isPresent()) {
            throw new AlreadyMemberException();
        }
        Instant now = clock.instant();
        if (pendingFor(workspaceId, address, now)) {
            throw new InvitationPendingException();
        }
        // Counted before the insert; a refusal after it (seats) rolls the count back with the transaction.
        pacing.takeWorkspaceMail(workspaceId, now);
        String token = OpaqueTokens.generate();
        Duration ttl = Duration.ofDays(invitationTtlDays);
        Invitation invitation = invitations.tryCreateInvitation(
                        new NewInvitation(workspaceId, address, role, OpaqueTokens.hash(token), actorId, now.plus(ttl)),
                        limits.seats(), now)
                .orElseThrow(() -> new SeatLimitReachedException(limits.seats()));
        activity.fire(WorkspaceActivity.invitationSent(actorId, invitation));
        mail.fire(emails.invitation(invitation, inviter.name(), token, ttl));
        return invitation;
    }

    public Page<Invitation> listPending(UUID workspaceId, UUID actorId, String cursor, Integer limit) {
        access.require(workspaceId, actorId, WorkspaceRole.ADMIN);
        int size = Keyset.limit(limit);
        return Keyset.page(invitations.listPendingInvitations(workspaceId, clock.instant(), Keyset.decode(cursor), size),
                size, i -> new Keyset(i.createdAt(), i.id()));
    }

    public void revoke(UUID workspaceId, UUID actorId, UUID invitationId) {
        access.require(workspaceId, actorId, WorkspaceRole.ADMIN);
        Invitation invitation = invitations.findInvitation(workspaceId, invitationId)
                .orElseThrow(InvitationNotFoundException::new);
        if (!invitations.revokeInvitation(workspaceId, invitationId, clock.instant())) {
            throw new InvitationGoneException(invitation.status().name());
        }
        activity.fire(WorkspaceActivity.invitationRevoked(actorId, invitation));
    }

    /**
     * A new link (the old one stops working) and a new expiry, mailed again. An expired invitation no longer holds
     * a seat, so it is not revived here: inviting the address again checks the seats. Paced
     * ({@link InvitationMailPacing}): per invitation and per workspace, each a 429 with Retry-After.
     */
    public Invitation resend(UUID workspaceId, UUID actorId, UUID invitationId) {
        access.require(workspaceId, actorId, WorkspaceRole.ADMIN);
        Invitation invitation = invitations.findInvitation(workspaceId, invitationId)
                .orElseThrow(InvitationNotFoundException::new);
        if (invitation.status() != InvitationStatus.PENDING) {
            throw new InvitationGoneException(invitation.status().name());
        }
        Instant now = clock.instant();
        if (!invitation.pendingAt(now)) {
            throw new InvitationGoneException("EXPIRED");
        }
        User inviter = verifiedInviter(actorId);
        String token = OpaqueTokens.generate();
        Duration ttl = Duration.ofDays(invitationTtlDays);
        InvitationRenewal renewal = invitations.renewInvitation(workspaceId, invitationId, OpaqueTokens.hash(token),
                now.plus(ttl), now, pacing.resendInterval());
        if (renewal.pacedUntil() != null) {
            throw new InvitationResentRecentlyException(InvitationMailPacing.positive(Duration.between(now, renewal.pacedUntil())));
        }
        if (renewal.renewed() == null) {
            throw new InvitationGoneException("answered");
        }
        // After the invitation's own pace: a refusal here rolls the renewal back with the transaction.
        pacing.takeWorkspaceMail(workspaceId, now);
        activity.fire(WorkspaceActivity.invitationResent(actorId, invitation, renewal.renewed()));
        mail.fire(emails.invitation(renewal.renewed(), inviter.name(), token, ttl));
        return renewal.renewed();
    }

    /** Pending invitations to the caller's address, oldest first; only a verified address proves it is theirs. */
    public Page<Invitation> mine(UUID userId, String cursor, Integer limit) {
        User user = verifiedUser(userId);
        int size = Keyset.limit(limit);
        return Keyset.page(invitations.listPendingInvitationsFor(user.email(), clock.instant(), Keyset.decode(cursor),
                size), size, i -> new Keyset(i.createdAt(), i.id()));
    }

    /**
     * Joins the workspace. An invitation into a personal workspace (pending from before they were refused) is not
     * honoured; the repository refuses it too, in the statement that accepts.
     */
    public Membership accept(String token, UUID userId) {
        Invitation invitation = answerable(token);
        User user = verifiedUser(userId);
        if (!invitation.email().toLowerCase(Locale.ROOT).equals(user.email().toLowerCase(Locale.ROOT))) {
            throw new InvitationForAnotherEmailException();
        }
        if (workspaces.findById(invitation.workspaceId()).filter(Workspace::personal).isPresent()) {
            throw personalWorkspace();
        }
        invitations.acceptInvitation(OpaqueTokens.hash(token), userId, clock.instant())
                .orElseThrow(() -> new InvitationGoneException("answered"));
        Workspace workspace = workspaces.findById(invitation.workspaceId()).orElseThrow();
        WorkspaceRole role = workspaces.findRole(workspace.id(), userId).orElseThrow();
        activity.fire(WorkspaceActivity.invitationAccepted(userId, invitation));
        activity.fire(WorkspaceActivity.memberAdded(userId, workspace.id(), role, invitation.id()));
        return new Membership(workspace, role);
    }

    /** Anyone holding the emailed token may decline, signed in or not. */
    public void decline(String token) {
        Invitation invitation = answerable(token);
        if (!invitations.declineInvitation(OpaqueTokens.hash(token), clock.instant())) {
            throw new InvitationGoneException("answered");
        }
        activity.fire(WorkspaceActivity.invitationDeclined(invitation));
    }

    private Invitation answerable(String token) {
        Invitation invitation = invitations.findInvitationByTokenHash(OpaqueTokens.hash(token))
                .orElseThrow(InvitationNotFoundException::new);
        if (invitation.status() != InvitationStatus.PENDING) {
            throw new InvitationGoneException(invitation.status().name());
        }
        if (!invitation.expiresAt().isAfter(clock.instant())) {
            throw new InvitationGoneException("EXPIRED");
        }
        return invitation;
    }

    private static PersonalWorkspaceException personalWorkspace() {
        return new PersonalWorkspaceException("A personal workspace is its owner's alone (the owner's connections are"
                + " usable there without sharing): nobody can be invited into it. Create a team workspace to work with"
                + " others.");
    }

    private boolean pendingFor(UUID workspaceId, String email, Instant now) {
        return invitations.listPendingInvitationsFor(email, now).stream().anyMatch(i -> i.workspaceId().equals(workspaceId));
    }

    private User verifiedUser(UUID userId) {
        User user = users.findById(userId).orElseThrow(() -> new ResourceNotFoundException("No such user."));
        if (!user.emailVerified()) {
            throw new EmailNotVerifiedException();
        }
        return user;
    }

    /** Invitations are sent in the inviter's name to someone else's inbox: only a verified account sends them. */
    private User verifiedInviter(UUID userId) {
        return verifiedEmail.require(userId, "Verify your email address before you invite anyone: invitations are"
                + " emails sent in your name.");
    }
}
