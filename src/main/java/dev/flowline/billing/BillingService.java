package dev.flowline.billing;

import dev.flowline.billing.BillingErrors.AlreadySubscribedException;
import dev.flowline.billing.BillingErrors.BillingDisabledException;
import dev.flowline.billing.BillingErrors.CheckoutCompletedException;
import dev.flowline.billing.BillingErrors.CheckoutInProgressException;
import dev.flowline.billing.BillingErrors.NoBillingAccountException;
import dev.flowline.billing.BillingErrors.PlanNotForSaleException;
import dev.flowline.billing.BillingErrors.StripeFailedException;
import dev.flowline.billing.BillingRepository.CheckoutClaim;
import dev.flowline.billing.StripeGateway.CheckoutSession;
import dev.flowline.platform.json.Jsons;
import dev.flowline.users.AccountPlan;
import dev.flowline.users.User;
import dev.flowline.users.UserRepository;
import dev.flowline.workspaces.BillingPeriod;
import dev.flowline.workspaces.PlanCatalog;
import dev.flowline.workspaces.RunQuotaService;
import dev.flowline.workspaces.RunUsage;
import dev.flowline.workspaces.RunUsageRepository;
import dev.flowline.workspaces.Workspace;
import dev.flowline.workspaces.WorkspaceAccess;
import dev.flowline.workspaces.WorkspaceErrors.OwnerOnlyException;
import dev.flowline.workspaces.WorkspaceRepository;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Buying a plan: Checkout (the owner of a workspace starts it; the plan changes only when Stripe confirms it through
 * a webhook, never here), the customer portal, and the billing overview.
 */
@ApplicationScoped
public class BillingService {

    /**
     * How long a claimed checkout holds the user's slot before Stripe has answered: far longer than its calls take. A
     * claim that outlives it (the instance died, or Stripe was very slow) loses the slot, and its session is expired.
     */
    static final Duration CLAIM_HOLD = Duration.ofMinutes(3);

    /** Metadata keys on the Checkout Session and the subscription it creates. */
    static final String USER_KEY = "flowline_user_id";
    static final String WORKSPACE_KEY = "flowline_workspace_id";
    static final String PLAN_KEY = "flowline_plan";

    @Inject
    BillingSettings settings;

    @Inject
    StripeGateway stripe;

    @Inject
    UserRepository users;

    @Inject
    BillingRepository billing;

    @Inject
    OverageReportRepository overageReports;

    @Inject
    WorkspaceAccess access;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    RunUsageRepository runUsage;

    @Inject
    RunQuotaService quotas;

    @Inject
    PlanCatalog plans;

    @Inject
    PlanSync planSync;

    @Inject
    Clock clock;

    /**
     * Starts a subscription Checkout for {@code plan} from a workspace the caller owns: creates the caller's Stripe
     * Customer once, then the session, and records {@code settings.billing.pending_checkout}. Changes no plan. A Stripe
     * failure clears the pending checkout with the error and answers 502.
     * <p>
     * One checkout per user at a time, decided atomically by the database before Stripe is called
     * ({@code claimCheckout}): a second one while the first is being created is a 409, and one after it replaces it,
     * expiring the earlier session at Stripe first, so that a user never holds two payable sessions (two
     * subscriptions). If the earlier one was paid meanwhile, the new one is refused. A paid subscription refuses the
     * claim in the same statement.
     * <p>
     * Not one transaction: no database connection is held while Stripe answers. Each repository call commits on its
     * own, in an order that leaves nothing half-done: the customer id is stored set-once right after Stripe made it
     * (a repeated checkout gets the same customer back: its idempotency key is the user id), the pending checkout only
     * once its session exists, and a failure frees the slot where it happened.
     */
    public CheckoutSession startCheckout(UUID userId, UUID workspaceId, AccountPlan plan) {
        if (access.require(workspaceId, userId, WorkspaceRole.VIEWER) != WorkspaceRole.OWNER) {
            throw new OwnerOnlyException("start a checkout for it");
        }
        requireEnabled();
        String price = settings.priceOf(plan).filter(p -> plan != AccountPlan.FREE)
                .orElseThrow(() -> new PlanNotForSaleException(plan.name()));
        User user = users.findById(userId).orElseThrow();
        Instant now = clock.instant();
        UUID claimId = UUID.randomUUID();
        CheckoutClaim claim = billing.claimCheckout(userId, claimId, now, now.plus(CLAIM_HOLD))
                .orElseThrow(() -> billing.findSubscription(userId).filter(Subscription::paid).isPresent()
                        ? new AlreadySubscribedException() : new CheckoutInProgressException());
        try {
            if (claim.previousSessionId() != null && !stripe.closeCheckoutSession(claim.previousSessionId())) {
                // the paid session keeps the slot until its webhook frees it, so the next checkout is refused too
                billing.openCheckout(userId, claimId, claim.previousSessionId());
                throw new CheckoutCompletedException();
            }
            String customer = users.getStripeCustomerId(userId).orElseGet(() -> users.setStripeCustomerId(userId,
                    stripe.createCustomer(userId.toString(), user.email(), user.name())));
            CheckoutSession session = stripe.createCheckoutSession(customer, price, settings.overagePrice().orElse(null),
                    Map.of(USER_KEY, userId.toString(), WORKSPACE_KEY, workspaceId.toString(), PLAN_KEY, plan.name()),
                    userId.toString(), "checkout-" + userId + "-" + claimId);
            if (!billing.openCheckout(userId, claimId, session.id())) {
                // the claim outlived its hold and a newer checkout has the slot: this session must not stay payable
                stripe.closeCheckoutSession(session.id());
                throw new CheckoutInProgressException();
            }
            users.recordPendingCheckout(userId, session.id(), now);
            users.updateSettings(userId, s -> withPendingPlan(s, session.id(), plan), now);
            return session;
        } catch (StripeFailedException e) {
            billing.releaseCheckout(userId, claimId);
            users.clearPendingCheckout(userId, e.stripeMessage(), now);
            throw e;
        } catch (CheckoutCompletedException e) {
            throw e;
        } catch (RuntimeException e) {
            billing.releaseCheckout(userId, claimId);
            throw e;
        }
    }

    /** A customer-portal URL (change the card, the plan, cancel) for a user who has a Stripe customer. */
    public String portal(UUID userId) {
        requireEnabled();
        String customer = users.getStripeCustomerId(userId).orElseThrow(NoBillingAccountException::new);
        return stripe.createPortalSession(customer, "portal-" + userId + "-" + UUID.randomUUID());
    }

    @Transactional
    public BillingOverview overview(UUID userId) {
        requireEnabled();
        User user = users.findById(userId).orElseThrow();
        JsonObject state = user.settings() != null && user.settings().get("billing") instanceof JsonObject b
                ? b : JsonValue.EMPTY_JSON_OBJECT;
        BillingOverview.PendingCheckout pending = state.get("pending_checkout") instanceof JsonObject p
                ? new BillingOverview.PendingCheckout(p.getString("session_id", null), p.getString("plan", null),
                instant(p.getString("created_at", null))) : null;
        List<BillingOverview.WorkspaceBilling> owned = new ArrayList<>();
        for (UUID workspaceId : planSync.ownedWorkspaces(userId)) {
            Optional<Workspace> workspace = workspaces.findById(workspaceId);
            if (workspace.isEmpty()) {
                continue;
            }
            BillingPeriod period = quotas.currentPeriod(workspaceId);
            RunUsage usage = runUsage.getRunUsage(workspaceId, period);
            owned.add(new BillingOverview.WorkspaceBilling(workspaceId, workspace.get().name(), workspace.get().planTier(),
                    period, usage.used(), plans.limits(workspace.get().planTier()).runsPerPeriod(), usage.overage(),
                    overageReports.status(workspaceId, period.start())));
        }
        return new BillingOverview(user.plan(), billing.findSubscription(userId).orElse(null), pending,
                state.getString("last_error", null), instant(state.getString("last_error_at", null)), owned);
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw new BillingDisabledException();
        }
    }

    /** Adds the plan to the pending checkout of {@code sessionId}, if it is still the pending one. */
    private static JsonObject withPendingPlan(JsonObject settings, String sessionId, AccountPlan plan) {
        if (!(settings.get("billing") instanceof JsonObject billing)
                || !(billing.get("pending_checkout") instanceof JsonObject pending)
                || !sessionId.equals(pending.getString("session_id", null))) {
            return settings;
        }
        return Jsons.createObjectBuilder(settings).add("billing", Jsons.createObjectBuilder(billing)
                .add("pending_checkout", Jsons.createObjectBuilder(pending).add("plan", plan.name()))).build();
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
