package dev.flowline.workspaces;

import dev.flowline.platform.pagination.Keyset;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Neutral answers for every {@link WorkspaceRepository} method: stores nothing, finds nothing, nobody is a member.
 * Not a bean itself; the doubles extend it and override what their tests control.
 */
public abstract class NeutralWorkspaceRepository implements WorkspaceRepository {

    @Override
    public Workspace create(String name, boolean personal, PlanTier tier, UUID ownerId, Instant now) {
        return new Workspace(UUID.randomUUID(), name, personal, tier, now, now, 0);
    }

    @Override
    public int lockOwnedTeamWorkspaces(UUID userId) {
        return 0;
    }

    @Override
    public Optional<Workspace> findById(UUID workspaceId) {
        return Optional.empty();
    }

    @Override
    public List<Membership> listForUser(UUID userId, Keyset after, int limit) {
        return List.of();
    }

    @Override
    public Optional<Workspace> rename(UUID workspaceId, String name, Long expectedVersion, Instant now) {
        return Optional.empty();
    }

    @Override
    public boolean delete(UUID workspaceId) {
        return false;
    }

    @Override
    public boolean isMember(UUID workspaceId, UUID userId) {
        return false;
    }

    @Override
    public Optional<WorkspaceRole> findRole(UUID workspaceId, UUID userId) {
        return Optional.empty();
    }

    @Override
    public Optional<Member> findMember(UUID workspaceId, UUID userId) {
        return Optional.empty();
    }

    @Override
    public List<Member> listMembers(UUID workspaceId, Keyset after, int limit) {
        return List.of();
    }

    @Override
    public int countMembers(UUID workspaceId) {
        return 0;
    }

    @Override
    public boolean changeRole(UUID workspaceId, UUID userId, WorkspaceRole role) {
        return false;
    }

    @Override
    public boolean removeMember(UUID workspaceId, UUID userId) {
        return false;
    }

    @Override
    public boolean transferOwnership(UUID workspaceId, UUID currentOwnerId, UUID newOwnerId) {
        return false;
    }

    @Override
    public Optional<UUID> findOwner(UUID workspaceId) {
        return Optional.empty();
    }

    @Override
    public Optional<PlanTier> getPlan(UUID workspaceId) {
        return Optional.empty();
    }

    @Override
    public boolean setPlan(UUID workspaceId, PlanTier tier, Instant now) {
        return false;
    }
}
