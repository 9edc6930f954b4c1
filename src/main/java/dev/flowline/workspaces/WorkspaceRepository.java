package dev.flowline.workspaces;

import dev.flowline.platform.pagination.Keyset;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every persistent operation on workspaces, their members and their plan. Invitations (and the seats they hold) are
 * in {@link InvitationRepository}; run usage and the billing cycle in {@link RunUsageRepository}. Implemented by
 * {@code JpaWorkspaceRepository} on PostgreSQL and by test doubles. Services decide; this persists.
 */
public interface WorkspaceRepository {

    // --- workspaces ---

    /** Creates the workspace with {@code ownerId} as its owner. */
    Workspace create(String name, boolean personal, PlanTier tier, UUID ownerId, Instant now);

    /**
     * How many team (not personal) workspaces {@code userId} owns, counted under a lock on that user's ownerships
     * held until the caller's transaction ends. Every change that gives a user a workspace to own (creation,
     * transfer) takes it first, so two of them cannot both find room for one more.
     */
    int lockOwnedTeamWorkspaces(UUID userId);

    Optional<Workspace> findById(UUID workspaceId);

    /** The user's workspaces ordered by (created_at, id), {@code limit + 1} rows after {@code after}. */
    List<Membership> listForUser(UUID userId, Keyset after, int limit);

    /**
     * Renames; with {@code expectedVersion} only if the workspace is still at that version. Answers the updated
     * workspace, or empty when it is gone or the version is stale.
     */
    Optional<Workspace> rename(UUID workspaceId, String name, Long expectedVersion, Instant now);

    /** Deletes the workspace and, by cascade, its members, invitations, usage and billing cycle. */
    boolean delete(UUID workspaceId);

    // --- members ---

    boolean isMember(UUID workspaceId, UUID userId);

    Optional<WorkspaceRole> findRole(UUID workspaceId, UUID userId);

    Optional<Member> findMember(UUID workspaceId, UUID userId);

    /** Members ordered by (joined_at, user_id), {@code limit + 1} rows after {@code after}. */
    List<Member> listMembers(UUID workspaceId, Keyset after, int limit);

    int countMembers(UUID workspaceId);

    /** Changes a non-owner's role to a non-owner role; answers false when there is no such non-owner member. */
    boolean changeRole(UUID workspaceId, UUID userId, WorkspaceRole role);

    /** Removes a non-owner member; answers false when there is no such non-owner member. */
    boolean removeMember(UUID workspaceId, UUID userId);

    /**
     * Makes {@code newOwnerId} (already a member) the owner and the current owner an admin, atomically.
     * Answers false when {@code currentOwnerId} is not the owner or {@code newOwnerId} not a member.
     */
    boolean transferOwnership(UUID workspaceId, UUID currentOwnerId, UUID newOwnerId);

    Optional<UUID> findOwner(UUID workspaceId);

    // --- plan ---

    /** The workspace's tier. */
    Optional<PlanTier> getPlan(UUID workspaceId);

    boolean setPlan(UUID workspaceId, PlanTier tier, Instant now);
}
