package dev.flowline.workspaces;

import dev.flowline.platform.errors.AccessDeniedException;
import dev.flowline.platform.errors.ConflictException;
import dev.flowline.platform.errors.GoneException;
import dev.flowline.platform.errors.PaymentRequiredException;
import dev.flowline.platform.errors.PreconditionFailedException;
import dev.flowline.platform.errors.RateLimitedException;
import dev.flowline.platform.errors.ResourceNotFoundException;
import dev.flowline.users.AccountPlan;

import java.time.Duration;
import java.util.Locale;

/** The typed errors of workspaces, members, invitations and plans. */
public final class WorkspaceErrors {

    private WorkspaceErrors() {
    }

    /** Also answered for workspaces that do not exist, so ids reveal nothing. */
    public static final class NotAMemberException extends AccessDeniedException {
        public NotAMemberException() {
            super("not-a-member", "Not a member", "You are not a member of this workspace.");
        }
    }

    public static final class RoleRequiredException extends AccessDeniedException {
        public RoleRequiredException(WorkspaceRole required) {
            super("role-required", "Role required",
                    "This needs the " + required + " role or a stronger one in this workspace.");
        }
    }

    public static final class OwnerOnlyException extends AccessDeniedException {
        public OwnerOnlyException(String what) {
            super("owner-only", "Owner only", "Only the workspace owner can " + what + ".");
        }
    }

    public static final class OperatorOnlyException extends AccessDeniedException {
        public OperatorOnlyException() {
            super("operator-only", "Operators only", "Only the operators of this Flowline installation can do this.");
        }
    }

    public static final class OwnerStaysException extends ConflictException {
        public OwnerStaysException(String detail) {
            super("owner-required", "A workspace keeps its owner", detail);
        }
    }

    /** A personal workspace is one person's: it is not deleted, handed over, or shared with anyone. */
    public static final class PersonalWorkspaceException extends ConflictException {
        public PersonalWorkspaceException() {
            this("A personal workspace cannot be deleted.");
        }

        public PersonalWorkspaceException(String detail) {
            super("personal-workspace", "Personal workspace", detail);
        }
    }

    public static final class MemberNotFoundException extends ResourceNotFoundException {
        public MemberNotFoundException() {
            super("member-not-found", "No such member", "That user is not a member of this workspace.");
        }
    }

    public static final class AlreadyMemberException extends ConflictException {
        public AlreadyMemberException() {
            super("already-member", "Already a member", "Someone with this email address is already a member.");
        }
    }

    public static final class InvitationPendingException extends ConflictException {
        public InvitationPendingException() {
            super("invitation-pending", "Invitation already pending",
                    "This address already has a pending invitation: resend or revoke it.");
        }
    }

    public static final class SeatLimitReachedException extends ConflictException {
        public SeatLimitReachedException(int seats) {
            super("seat-limit-reached", "Seat limit reached", "All " + seats
                    + " seats of this workspace's plan are taken by members and pending invitations. Revoke an"
                    + " invitation, remove a member or upgrade the plan.");
        }
    }

    public static final class WorkspaceLimitReachedException extends PaymentRequiredException {
        public WorkspaceLimitReachedException(int limit, AccountPlan plan) {
            super("workspace-limit-reached", "Workspace limit reached",
                    "The " + plan + " account plan lets you own " + limit + " team workspaces besides your personal"
                            + " one. Delete one, hand one over, or upgrade your account.");
        }
    }

    public static final class NewOwnerWorkspaceLimitException extends ConflictException {
        public NewOwnerWorkspaceLimitException() {
            super("new-owner-workspace-limit", "The new owner owns enough workspaces",
                    "The new owner already owns as many team workspaces as their account plan allows.");
        }
    }

    public static final class NoOwnershipOfferException extends ResourceNotFoundException {
        public NoOwnershipOfferException() {
            super("no-ownership-offer", "No ownership offer",
                    "There is no open ownership offer in this workspace: none was made, or it was withdrawn, replaced"
                            + " or answered.");
        }
    }

    public static final class NotTheOffereeException extends AccessDeniedException {
        public NotTheOffereeException() {
            super("not-the-offeree", "Offered to someone else",
                    "Only the member the ownership was offered to can accept or decline the offer.");
        }
    }

    public static final class OwnershipOfferExpiredException extends GoneException {
        public OwnershipOfferExpiredException() {
            super("ownership-offer-expired", "Ownership offer expired",
                    "This ownership offer has expired. Ask the owner to offer it again.");
        }
    }

    /** The offer's maker is no longer the owner, or its offeree no longer a member. */
    public static final class OwnershipOfferStaleException extends ConflictException {
        public OwnershipOfferStaleException() {
            super("ownership-offer-stale", "Ownership offer no longer holds",
                    "The member who made this offer no longer owns the workspace, or its offeree is no longer a member.");
        }
    }

    /** The old one-step transfer, answered so that no client mistakes an offer for a completed transfer. */
    public static final class OwnershipTransferNeedsAcceptanceException extends GoneException {
        public OwnershipTransferNeedsAcceptanceException() {
            super("ownership-transfer-needs-acceptance", "Ownership moves by an accepted offer",
                    "Ownership is no longer handed over in one step: the owner offers it with POST"
                            + " /api/v1/workspaces/{id}/ownership-offer {\"userId\": ...}, and it moves when that member"
                            + " accepts with POST /api/v1/workspaces/{id}/ownership-offer/accept. Nothing was changed.");
        }
    }

    public static final class PlanFeatureException extends PaymentRequiredException {
        public PlanFeatureException(PlanTier tier, String feature) {
            super("plan-feature-unavailable", "Not included in the plan",
                    "The " + tier + " plan does not include " + feature + ". Upgrade the workspace to use it.");
        }
    }

    public static final class RunQuotaExceededException extends PaymentRequiredException {
        public RunQuotaExceededException(int allocation) {
            super("run-quota-exceeded", "Run quota used up", "This workspace has used all " + allocation
                    + " runs of its plan for the current billing period, and its plan does not allow overage.");
        }
    }

    public static final class InvitationNotFoundException extends ResourceNotFoundException {
        public InvitationNotFoundException() {
            super("invitation-not-found", "No such invitation", "There is no invitation for this token or id.");
        }
    }

    /** Expired, revoked, declined or already accepted. */
    public static final class InvitationGoneException extends GoneException {
        public InvitationGoneException(String state) {
            super("invitation-" + state.toLowerCase(Locale.ROOT), "Invitation " + state.toLowerCase(Locale.ROOT),
                    "This invitation is " + state.toLowerCase(Locale.ROOT) + ". Ask the workspace admin for a new one.");
        }
    }

    public static final class InvitationForAnotherEmailException extends AccessDeniedException {
        public InvitationForAnotherEmailException() {
            super("invitation-for-another-email", "Invitation for another address",
                    "This invitation was sent to another email address. Sign in with that address to accept it.");
        }
    }

    public static final class EmailNotVerifiedException extends AccessDeniedException {
        public EmailNotVerifiedException() {
            this("Verify your email address first: invitations go to addresses, and only a verified one proves it is yours.");
        }

        public EmailNotVerifiedException(String detail) {
            super("email-not-verified", "Email not verified", detail);
        }
    }

    public static final class InvitationResentRecentlyException extends RateLimitedException {
        public InvitationResentRecentlyException(Duration retryAfter) {
            super("invitation-resent-recently", "Invitation resent recently",
                    "This invitation was resent a short while ago; it can be resent again later (see Retry-After).",
                    retryAfter);
        }
    }

    public static final class InvitationMailLimitException extends RateLimitedException {
        public InvitationMailLimitException(int limit, Duration retryAfter) {
            super("invitation-mail-limit", "Too many invitation emails",
                    "This workspace has sent its " + limit + " invitation emails for now; try again later (see Retry-After).",
                    retryAfter);
        }
    }

    public static final class StaleWorkspaceException extends PreconditionFailedException {
        public StaleWorkspaceException() {
            super("stale-version", "Stale version", "The workspace changed since you read it (If-Match). Read it again.");
        }
    }
}
