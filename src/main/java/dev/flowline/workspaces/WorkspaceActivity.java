package dev.flowline.workspaces;

import dev.flowline.platform.json.Fields;
import dev.flowline.platform.security.Actor;

import java.util.Map;
import java.util.UUID;

/**
 * Something a person, an operator or Stripe changed in a workspace: the workspace itself, its members, invitations,
 * ownership offers, plan. Fired inside the transaction of the change (a rolled-back change fires nothing that lasts),
 * so an observer (the audit log) records it in the same commit. {@code event} is a stable name;
 * {@code before}/{@code after} hold the fields that changed, never a secret (no invitation token).
 */
public record WorkspaceActivity(String event, Actor actor, UUID workspaceId, String objectType, UUID objectId,
                                Map<String, Object> before, Map<String, Object> after) {

    public static WorkspaceActivity created(UUID userId, Workspace workspace) {
        return new WorkspaceActivity("workspace.created", Actor.user(userId), workspace.id(), "workspace",
                workspace.id(), Fields.of(), Fields.of("name", workspace.name(), "plan", workspace.planTier()));
    }

    public static WorkspaceActivity renamed(UUID userId, UUID workspaceId, String before, String after) {
        return new WorkspaceActivity("workspace.renamed", Actor.user(userId), workspaceId, "workspace", workspaceId,
                Fields.of("name", before), Fields.of("name", after));
    }

    public static WorkspaceActivity deleted(UUID userId, Workspace workspace) {
        return new WorkspaceActivity("workspace.deleted", Actor.user(userId), workspace.id(), "workspace",
                workspace.id(), Fields.of("name", workspace.name()), Fields.of());
    }

    /** By an operator ({@link Actor#operator}) or by Stripe's subscription events ({@link Actor#stripe}). */
    public static WorkspaceActivity planChanged(Actor actor, UUID workspaceId, PlanTier before, PlanTier after) {
        return new WorkspaceActivity("plan.changed", actor, workspaceId, "workspace", workspaceId,
                Fields.of("plan", before), Fields.of("plan", after));
    }

    public static WorkspaceActivity memberAdded(UUID userId, UUID workspaceId, WorkspaceRole role, UUID invitationId) {
        return new WorkspaceActivity("member.added", Actor.user(userId), workspaceId, "member", userId,
                Fields.of(), Fields.of("role", role, "invitationId", invitationId));
    }

    public static WorkspaceActivity memberRoleChanged(UUID userId, UUID workspaceId, UUID memberId,
                                                      WorkspaceRole before, WorkspaceRole after) {
        return new WorkspaceActivity("member.role_changed", Actor.user(userId), workspaceId, "member", memberId,
                Fields.of("role", before), Fields.of("role", after));
    }

    public static WorkspaceActivity memberRemoved(UUID userId, UUID workspaceId, UUID memberId, WorkspaceRole role) {
        return new WorkspaceActivity("member.removed", Actor.user(userId), workspaceId, "member", memberId,
                Fields.of("role", role), Fields.of());
    }

    public static WorkspaceActivity memberLeft(UUID userId, UUID workspaceId, WorkspaceRole role) {
        return new WorkspaceActivity("member.left", Actor.user(userId), workspaceId, "member", userId,
                Fields.of("role", role), Fields.of());
    }

    public static WorkspaceActivity invitationSent(UUID userId, Invitation invitation) {
        return new WorkspaceActivity("invitation.sent", Actor.user(userId), invitation.workspaceId(), "invitation",
                invitation.id(), Fields.of(), Fields.of("email", invitation.email(), "role", invitation.role(),
                        "expiresAt", invitation.expiresAt()));
    }

    public static WorkspaceActivity invitationResent(UUID userId, Invitation before, Invitation after) {
        return new WorkspaceActivity("invitation.resent", Actor.user(userId), after.workspaceId(), "invitation",
                after.id(), Fields.of("expiresAt", before.expiresAt()), Fields.of("expiresAt", after.expiresAt()));
    }

    public static WorkspaceActivity invitationRevoked(UUID userId, Invitation invitation) {
        return new WorkspaceActivity("invitation.revoked", Actor.user(userId), invitation.workspaceId(), "invitation",
                invitation.id(), Fields.of("status", invitation.status()), Fields.of("status", InvitationStatus.REVOKED));
    }

    public static WorkspaceActivity invitationAccepted(UUID userId, Invitation invitation) {
        return new WorkspaceActivity("invitation.accepted", Actor.user(userId), invitation.workspaceId(), "invitation",
                invitation.id(), Fields.of("status", invitation.status()), Fields.of("status", InvitationStatus.ACCEPTED));
    }

    /** Declined with the emailed link, perhaps signed out: the actor is whoever held the link. */
    public static WorkspaceActivity invitationDeclined(Invitation invitation) {
        return new WorkspaceActivity("invitation.declined", Actor.anonymous(), invitation.workspaceId(), "invitation",
                invitation.id(), Fields.of("status", invitation.status()), Fields.of("status", InvitationStatus.DECLINED));
    }

    public static WorkspaceActivity ownershipOffered(UUID ownerId, UUID workspaceId, UUID offeredTo) {
        return new WorkspaceActivity("ownership.offered", Actor.user(ownerId), workspaceId, "member", offeredTo,
                Fields.of(), Fields.of("offeredTo", offeredTo));
    }

    public static WorkspaceActivity ownershipWithdrawn(UUID ownerId, UUID workspaceId) {
        return new WorkspaceActivity("ownership.withdrawn", Actor.user(ownerId), workspaceId, "workspace", workspaceId,
                Fields.of(), Fields.of());
    }

    public static WorkspaceActivity ownershipAccepted(UUID userId, UUID workspaceId, UUID formerOwnerId) {
        return new WorkspaceActivity("ownership.accepted", Actor.user(userId), workspaceId, "workspace", workspaceId,
                Fields.of("ownerId", formerOwnerId), Fields.of("ownerId", userId));
    }

    public static WorkspaceActivity ownershipDeclined(UUID userId, UUID workspaceId) {
        return new WorkspaceActivity("ownership.declined", Actor.user(userId), workspaceId, "workspace", workspaceId,
                Fields.of(), Fields.of());
    }
}
