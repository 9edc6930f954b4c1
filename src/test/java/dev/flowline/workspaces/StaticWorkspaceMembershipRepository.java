package dev.flowline.workspaces;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link WorkspaceRepository} whose answers the test sets: membership and role (for every workspace and user),
 * plan tier and owner, so service and resource tests assert 403 gating and plan rules without a database. Goes with
 * {@link StaticRunUsageRepository} (run quotas, billing cycle) and {@link NoopInvitationRepository}. Call
 * {@link #reset()} before each test.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class StaticWorkspaceMembershipRepository extends NeutralWorkspaceRepository {

    private volatile WorkspaceRole role;
    private volatile PlanTier tier = PlanTier.WORKSPACE;
    private volatile UUID owner;

    /** The tenancy gate over this repository, for unit tests of other areas' services. */
    public WorkspaceAccess access() {
        WorkspaceAccess access = new WorkspaceAccess();
        access.workspaces = this;
        return access;
    }

    public void reset() {
        role = null;
        tier = PlanTier.WORKSPACE;
        owner = null;
    }

    /** Everyone is a member with this role; {@code null}: nobody is a member. */
    public void memberAs(WorkspaceRole memberRole) {
        role = memberRole;
    }

    public void plan(PlanTier planTier) {
        tier = planTier;
    }

    public void owner(UUID ownerId) {
        owner = ownerId;
    }

    @Override
    public Optional<Workspace> findById(UUID workspaceId) {
        return Optional.of(new Workspace(workspaceId, "Static", false, tier, Instant.EPOCH, Instant.EPOCH, 0));
    }

    @Override
    public boolean isMember(UUID workspaceId, UUID userId) {
        return role != null;
    }

    @Override
    public Optional<WorkspaceRole> findRole(UUID workspaceId, UUID userId) {
        return Optional.ofNullable(role);
    }

    @Override
    public Optional<PlanTier> getPlan(UUID workspaceId) {
        return Optional.of(tier);
    }

    @Override
    public Optional<UUID> findOwner(UUID workspaceId) {
        return Optional.ofNullable(owner);
    }
}
