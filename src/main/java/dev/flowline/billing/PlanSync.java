package dev.flowline.billing;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.users.AccountPlan;
import dev.flowline.users.User;
import dev.flowline.users.UserRepository;
import dev.flowline.workspaces.BillingCycle;
import dev.flowline.workspaces.Membership;
import dev.flowline.workspaces.PlanCatalog;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.RunUsageRepository;
import dev.flowline.workspaces.WorkspaceOwnerChanged;
import dev.flowline.workspaces.WorkspaceRepository;
import dev.flowline.workspaces.WorkspaceRole;
import dev.flowline.platform.security.Actor;
import dev.flowline.users.AccountActivity;
import dev.flowline.workspaces.WorkspaceActivity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The one plan story: a user's subscription sets their {@link AccountPlan} (PRO while it pays, else FREE) and, for
 * every workspace they own, the tier (WORKSPACE while it pays, else the default tier), the billing cycle (the
 * subscription's current period, which the run quota follows) and the overage subscription item. A workspace that
 * changes owner (created, transferred) takes the new owner's state. Runs in the caller's transaction; does nothing
 * while billing is off, so operators' tier overrides stay the only way tiers change there.
 */
@ApplicationScoped
public class PlanSync {

    @Inject
    BillingRepository billing;

    @Inject
    UserRepository users;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    RunUsageRepository runUsage;

    @Inject
    PlanCatalog plans;

    @Inject
    BillingSettings settings;

    @Inject
    Event<WorkspaceActivity> workspaceActivity;

    @Inject
    Event<AccountActivity> accountActivity;

    @Inject
    Clock clock;

    void ownerChanged(@Observes WorkspaceOwnerChanged changed) {
        if (settings.enabled()) {
            // the tier follows the new owner's subscription: a consequence, not anyone's choice
            applyTo(changed.workspaceId(), billing.findSubscription(changed.ownerId()), Actor.system());
        }
    }

    /**
     * Sets the user's account plan (only when it changes) and the tier of every workspace they own, as Stripe's
     * subscription events say.
     */
    public void apply(UUID userId) {
        Optional<Subscription> subscription = billing.findSubscription(userId);
        AccountPlan plan = subscription.filter(Subscription::paid).isPresent() ? AccountPlan.PRO : AccountPlan.FREE;
        Optional<AccountPlan> before = users.findById(userId).map(User::plan);
        if (before.filter(plan::equals).isEmpty()) {
            users.updatePlan(userId, plan);
            accountActivity.fire(AccountActivity.planChanged(Actor.stripe(), userId, before.orElse(null), plan));
        }
        for (UUID workspaceId : ownedWorkspaces(userId)) {
            applyTo(workspaceId, subscription, Actor.stripe());
        }
    }

    private void applyTo(UUID workspaceId, Optional<Subscription> subscription, Actor actor) {
        Instant now = clock.instant();
        Optional<Subscription> paying = subscription.filter(Subscription::paid);
        PlanTier tier = paying.isPresent() ? PlanTier.WORKSPACE : plans.defaultTier();
        Optional<PlanTier> before = workspaces.getPlan(workspaceId);
        if (before.filter(tier::equals).isEmpty()) {
            workspaces.setPlan(workspaceId, tier, now);
            workspaceActivity.fire(WorkspaceActivity.planChanged(actor, workspaceId, before.orElse(null), tier));
        }
        Optional<Subscription> withPeriod = paying.filter(s -> s.currentPeriod() != null);
        if (withPeriod.isPresent()) {
            Subscription s = withPeriod.get();
            runUsage.upsertBillingCycle(new BillingCycle(workspaceId, s.stripeSubscriptionId(), s.currentPeriod()), now);
        } else if (paying.isEmpty()) {
            runUsage.clearBillingCycle(workspaceId);
        }
        String overageItem = paying.map(Subscription::overageItemId).orElse(null);
        if (!runUsage.getOverageSubscriptionItemId(workspaceId).equals(Optional.ofNullable(overageItem))) {
            runUsage.setOverageSubscriptionItemId(workspaceId, overageItem);
        }
    }

    /** The workspaces {@code userId} owns (bounded by the account plan's limit of team workspaces, plus the personal one). */
    List<UUID> ownedWorkspaces(UUID userId) {
        List<UUID> owned = new ArrayList<>();
        Keyset after = null;
        int pageSize = Keyset.MAX_LIMIT;
        while (true) {
            List<Membership> page = workspaces.listForUser(userId, after, pageSize);
            page.stream().limit(pageSize).filter(m -> m.role() == WorkspaceRole.OWNER)
                    .forEach(m -> owned.add(m.workspace().id()));
            if (page.size() <= pageSize) {
                return owned;
            }
            Membership last = page.get(pageSize - 1);
            after = new Keyset(last.workspace().createdAt(), last.workspace().id());
        }
    }
}
