package dev.flowline.workspaces;

import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.pagination.Page;
import dev.flowline.workspaces.WorkspaceErrors.MemberNotFoundException;
import dev.flowline.workspaces.WorkspaceErrors.OwnerStaysException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.UUID;

/**
 * Members of a workspace: list, change role, remove, leave. The owner's role changes only by an accepted ownership
 * offer, and the owner can neither leave nor be removed, so a workspace always has exactly one owner.
 */
@ApplicationScoped
@Transactional
public class MemberService {

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    WorkspaceAccess access;

    @Inject
    Event<WorkspaceMemberRemoved> removed;

    @Inject
    Event<WorkspaceActivity> activity;

    public Page<Member> list(UUID workspaceId, UUID userId, String cursor, Integer limit) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        int size = Keyset.limit(limit);
        return Keyset.page(workspaces.listMembers(workspaceId, Keyset.decode(cursor), size), size,
                m -> new Keyset(m.joinedAt(), m.userId()));
    }

    public Member changeRole(UUID workspaceId, UUID actorId, UUID memberId, WorkspaceRole role) {
        access.require(workspaceId, actorId, WorkspaceRole.ADMIN);
        if (role == WorkspaceRole.OWNER) {
            throw new InvalidInputException("Offer someone the ownership with POST /workspaces/{id}/ownership-offer;"
                    + " it moves when they accept.");
        }
        Member member = workspaces.findMember(workspaceId, memberId).orElseThrow(MemberNotFoundException::new);
        if (member.role() == WorkspaceRole.OWNER) {
            throw new OwnerStaysException("The owner's role changes only when another member accepts an ownership offer.");
        }
        workspaces.changeRole(workspaceId, memberId, role);
        if (member.role() != role) {
            activity.fire(WorkspaceActivity.memberRoleChanged(actorId, workspaceId, memberId, member.role(), role));
        }
        return workspaces.findMember(workspaceId, memberId).orElseThrow(MemberNotFoundException::new);
    }

    /** Admins remove others; anyone may remove themselves (that is leaving). */
    public void remove(UUID workspaceId, UUID actorId, UUID memberId) {
        if (actorId.equals(memberId)) {
            leave(workspaceId, actorId);
            return;
        }
        access.require(workspaceId, actorId, WorkspaceRole.ADMIN);
        Member member = workspaces.findMember(workspaceId, memberId).orElseThrow(MemberNotFoundException::new);
        if (member.role() == WorkspaceRole.OWNER) {
            throw new OwnerStaysException("The owner cannot be removed; the owner may offer ownership to another member first.");
        }
        detach(workspaceId, memberId);
        activity.fire(WorkspaceActivity.memberRemoved(actorId, workspaceId, memberId, member.role()));
    }

    public void leave(UUID workspaceId, UUID userId) {
        WorkspaceRole role = access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        if (role == WorkspaceRole.OWNER) {
            throw new OwnerStaysException("The owner cannot leave; offer ownership to another member first, who accepts it.");
        }
        detach(workspaceId, userId);
        activity.fire(WorkspaceActivity.memberLeft(userId, workspaceId, role));
    }

    /** Observers (connections) drop the member's shared data in this same transaction. */
    private void detach(UUID workspaceId, UUID userId) {
        removed.fire(new WorkspaceMemberRemoved(workspaceId, userId));
        workspaces.removeMember(workspaceId, userId);
    }
}
