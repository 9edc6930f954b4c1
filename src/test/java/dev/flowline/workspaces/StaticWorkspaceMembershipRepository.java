package dev.flowline.workspaces;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link WorkspaceRepository} whose answers the test sets: membership and role (for every workspace and user),
 * plan tier, run quota state, billing cycle and owner. Counts consume and release calls, so service and resource
 * tests assert 403 gating, quota refusals and releases without a database. Call {@link #reset()} before each test.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class StaticWorkspaceMembershipRepository extends NeutralWorkspaceRepository {

    /** What {@link #tryConsumeRun} finds: units left, none left, or already into overage. */
    public enum QuotaState { REMAINING, AT_LIMIT, OVER }

    private volatile WorkspaceRole role;
    private volatile PlanTier tier = PlanTier.WORKSPACE;
    private volatile QuotaState quota = QuotaState.REMAINING;
    private volatile BillingCycle billingCycle;
    private volatile UUID owner;
    private final AtomicInteger consumeCalls = new AtomicInteger();
    private final AtomicInteger releaseCalls = new AtomicInteger();

    public void reset() {
        role = null;
        tier = PlanTier.WORKSPACE;
        quota = QuotaState.REMAINING;
        billingCycle = null;
        owner = null;
        consumeCalls.set(0);
        releaseCalls.set(0);
    }

    /** Everyone is a member with this role; {@code null}: nobody is a member. */
    public void memberAs(WorkspaceRole memberRole) {
        role = memberRole;
    }

    public void plan(PlanTier planTier) {
        tier = planTier;
    }

    public void quota(QuotaState state) {
        quota = state;
    }

    public void billingCycle(BillingCycle cycle) {
        billingCycle = cycle;
    }

    public void owner(UUID ownerId) {
        owner = ownerId;
    }

    public int consumeCalls() {
        return consumeCalls.get();
    }

    public int releaseCalls() {
        return releaseCalls.get();
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

    @Override
    public Optional<BillingCycle> getBillingCycle(UUID workspaceId) {
        return Optional.ofNullable(billingCycle);
    }

    @Override
    public RunConsumption tryConsumeRun(UUID workspaceId, BillingPeriod period, int allocation, boolean overageAllowed) {
        consumeCalls.incrementAndGet();
        if (quota == QuotaState.REMAINING) {
            return RunConsumption.WITHIN_ALLOCATION;
        }
        return overageAllowed ? RunConsumption.OVERAGE : RunConsumption.REFUSED;
    }

    @Override
    public void releaseRun(UUID workspaceId, Instant periodStart, RunConsumption kind) {
        releaseCalls.incrementAndGet();
    }

    @Override
    public RunUsage getRunUsage(UUID workspaceId, BillingPeriod period) {
        return switch (quota) {
            case REMAINING -> new RunUsage(period, 0, 0);
            case AT_LIMIT -> new RunUsage(period, Integer.MAX_VALUE, 0);
            case OVER -> new RunUsage(period, Integer.MAX_VALUE, 1);
        };
    }
}
