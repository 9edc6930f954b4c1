package dev.flowline.billing;

import dev.flowline.testing.RecordingEvent;
import com.stripe.model.Event;
import dev.flowline.billing.BillingErrors.AlreadySubscribedException;
import dev.flowline.billing.BillingErrors.CheckoutCompletedException;
import dev.flowline.billing.BillingErrors.CheckoutInProgressException;
import dev.flowline.billing.BillingErrors.StripeFailedException;
import dev.flowline.billing.BillingErrors.WebhookSignatureException;
import dev.flowline.platform.pagination.Keyset;
import dev.flowline.testing.Threads;
import dev.flowline.users.AccountPlan;
import dev.flowline.users.InMemoryUserRepository;
import dev.flowline.users.NewUser;
import dev.flowline.users.User;
import dev.flowline.workspaces.BillingCycle;
import dev.flowline.workspaces.Membership;
import dev.flowline.workspaces.NeutralRunUsageRepository;
import dev.flowline.workspaces.NeutralWorkspaceRepository;
import dev.flowline.workspaces.PlanCatalog;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.Workspace;
import dev.flowline.workspaces.WorkspaceAccess;
import dev.flowline.workspaces.WorkspaceRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The plan story on the in-memory {@code UserRepository} double, which counts {@code updatePlan} calls: starting a
 * checkout calls it zero times (also when Stripe fails), a confirmed checkout once however often it is delivered, a
 * payment failure not at all (the plan is kept while Stripe retries), the end of the subscription once more. Stripe is
 * the local {@link StripeStub}; events are the fixtures, signed.
 */
class BillingPlanStoryTest {

    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final InMemoryBillingRepository billing = new InMemoryBillingRepository();
    private final Map<UUID, PlanTier> tiers = new HashMap<>();
    private final Map<UUID, BillingCycle> cycles = new HashMap<>();
    private final Map<UUID, String> overageItems = new HashMap<>();
    private StripeStub stripe;
    private BillingService service;
    private StripeWebhooks webhooks;
    private User owner;
    private UUID workspace;

    @BeforeEach
    void wire() {
        stripe = new StripeStub();
        Instant now = Instant.now();
        owner = users.create(new NewUser("owner-" + UUID.randomUUID() + "@example.com", "Owner", "hash"), now).orElseThrow();
        workspace = UUID.randomUUID();
        tiers.put(workspace, PlanTier.SOLO);
        Workspace ws = new Workspace(workspace, "Team", false, PlanTier.SOLO, now, now, 0);

        BillingSettings settings = new BillingSettings() {
            @Override public boolean enabled() { return true; }
            @Override Optional<String> apiKey() { return Optional.of("sk_test_unit"); }
            @Override Optional<String> webhookSecret() { return Optional.of(StripeEvents.SECRET); }
            @Override public Optional<String> priceOf(AccountPlan plan) { return Optional.of("price_pro_test"); }
            @Override public Optional<String> overagePrice() { return Optional.of("price_overage_test"); }
            @Override Optional<String> apiBase() { return Optional.of(stripe.baseUrl()); }
            @Override public String successUrl() { return "http://localhost/ok"; }
            @Override public String cancelUrl() { return "http://localhost/cancel"; }
            @Override long webhookToleranceSeconds() { return 300; }
        };
        NeutralWorkspaceRepository workspaces = new NeutralWorkspaceRepository() {
            @Override public Optional<WorkspaceRole> findRole(UUID workspaceId, UUID userId) {
                return workspaceId.equals(workspace) && userId.equals(owner.id()) ? Optional.of(WorkspaceRole.OWNER) : Optional.empty();
            }
            @Override public List<Membership> listForUser(UUID userId, Keyset after, int limit) {
                return userId.equals(owner.id()) && after == null ? List.of(new Membership(ws, WorkspaceRole.OWNER)) : List.of();
            }
            @Override public Optional<PlanTier> getPlan(UUID workspaceId) { return Optional.ofNullable(tiers.get(workspaceId)); }
            @Override public boolean setPlan(UUID workspaceId, PlanTier tier, Instant at) { tiers.put(workspaceId, tier); return true; }
        };
        NeutralRunUsageRepository runUsage = new NeutralRunUsageRepository() {
            @Override public void upsertBillingCycle(BillingCycle cycle, Instant at) { cycles.put(cycle.workspaceId(), cycle); }
            @Override public void clearBillingCycle(UUID workspaceId) { cycles.remove(workspaceId); }
            @Override public Optional<String> getOverageSubscriptionItemId(UUID workspaceId) { return Optional.ofNullable(overageItems.get(workspaceId)); }
            @Override public void setOverageSubscriptionItemId(UUID workspaceId, String item) {
                if (item == null) { overageItems.remove(workspaceId); } else { overageItems.put(workspaceId, item); }
            }
        };
        PlanCatalog plans = new PlanCatalog() {
            @Override public PlanTier defaultTier() { return PlanTier.SOLO; }
        };
        StripeGateway gateway = new StripeGateway();
        gateway.settings = settings;
        gateway.build();
        WorkspaceAccess access = new WorkspaceAccess();
        inject(access, "workspaces", workspaces);

        PlanSync sync = new PlanSync();
        sync.billing = billing;
        sync.users = users;
        sync.workspaces = workspaces;
        sync.runUsage = runUsage;
        sync.plans = plans;
        sync.settings = settings;
        sync.clock = Clock.systemUTC();
        sync.workspaceActivity = new RecordingEvent<>();
        sync.accountActivity = new RecordingEvent<>();

        service = new BillingService();
        service.settings = settings;
        service.stripe = gateway;
        service.users = users;
        service.billing = billing;
        service.access = access;
        service.workspaces = workspaces;
        service.runUsage = runUsage;
        service.plans = plans;
        service.planSync = sync;
        service.clock = Clock.systemUTC();

        webhooks = new StripeWebhooks();
        webhooks.settings = settings;
        webhooks.billing = billing;
        webhooks.users = users;
        webhooks.planSync = sync;
        webhooks.clock = Clock.systemUTC();
    }

    @AfterEach
    void stopStub() {
        stripe.close();
    }

    @Test
    void checkoutChangesNoPlanAndWebhooksDo() {
        StripeGateway.CheckoutSession session = service.startCheckout(owner.id(), workspace, AccountPlan.PRO);
        assertThat(session.url()).startsWith("https://checkout.stripe.com/");
        assertThat(users.updatePlanCalls()).isZero();
        assertThat(tiers.get(workspace)).isEqualTo(PlanTier.SOLO);
        assertThat(users.findById(owner.id()).orElseThrow().settings().getJsonObject("billing")
                .getJsonObject("pending_checkout").getString("session_id")).isEqualTo(session.id());
        String customer = users.getStripeCustomerId(owner.id()).orElseThrow();

        long now = Instant.now().getEpochSecond();
        String completed = StripeEvents.event("checkout.session.completed", Map.of("EVENT_ID", "evt_unit_completed",
                "CREATED", Long.toString(now - 30), "EXPIRES", Long.toString(now + 3600), "SESSION_ID", session.id(),
                "USER_ID", owner.id().toString(), "CUSTOMER_ID", customer, "WORKSPACE_ID", workspace.toString(),
                "PAYMENT_STATUS", "paid", "SUBSCRIPTION_ID", "sub_unit"));
        for (int i = 0; i < 3; i++) {
            deliver(completed);
        }
        assertThat(billing.outcome("evt_unit_completed")).contains("APPLIED");
        assertThat(users.updatePlanCalls()).isEqualTo(1);
        assertThat(users.findById(owner.id()).orElseThrow().plan()).isEqualTo(AccountPlan.PRO);
        assertThat(tiers.get(workspace)).isEqualTo(PlanTier.WORKSPACE);
        assertThat(users.findById(owner.id()).orElseThrow().settings().getJsonObject("billing").containsKey("pending_checkout")).isFalse();

        Map<String, String> active = subscription("evt_unit_active", "customer.subscription.updated", "active", now, now - 20, customer);
        assertThat(deliver(StripeEvents.event("customer.subscription", active))).isEqualTo(StripeWebhooks.Outcome.APPLIED);
        assertThat(users.updatePlanCalls()).as("already PRO").isEqualTo(1);
        assertThat(cycles.get(workspace).currentPeriod().start()).isEqualTo(Instant.ofEpochSecond(now - 86_400));
        assertThat(overageItems.get(workspace)).isEqualTo("si_overage_sub_unit");

        String failed = StripeEvents.event("invoice", Map.of("EVENT_ID", "evt_unit_failed", "CREATED", Long.toString(now - 10),
                "CUSTOMER_ID", customer, "USER_ID", owner.id().toString(), "SUBSCRIPTION_ID", "sub_unit",
                "AMOUNT_PAID", "0", "AMOUNT_REMAINING", "2900", "INVOICE_STATUS", "open", "TYPE", "invoice.payment_failed"));
        assertThat(deliver(failed)).isEqualTo(StripeWebhooks.Outcome.APPLIED);
        assertThat(users.updatePlanCalls()).as("a failed payment keeps the plan while Stripe retries").isEqualTo(1);
        assertThat(billing.findSubscription(owner.id()).orElseThrow().status()).isEqualTo("past_due");

        Map<String, String> deleted = subscription("evt_unit_deleted", "customer.subscription.deleted", "canceled", now, now - 5, customer);
        assertThat(deliver(StripeEvents.event("customer.subscription", deleted))).isEqualTo(StripeWebhooks.Outcome.APPLIED);
        assertThat(users.updatePlanCalls()).isEqualTo(2);
        assertThat(users.findById(owner.id()).orElseThrow().plan()).isEqualTo(AccountPlan.FREE);
        assertThat(tiers.get(workspace)).isEqualTo(PlanTier.SOLO);
        assertThat(cycles).doesNotContainKey(workspace);
        assertThat(overageItems).doesNotContainKey(workspace);
    }

    @Test
    void aStripeFailureAtCheckoutChangesNoPlanAndRecordsTheError() {
        stripe.failNext("/v1/checkout/sessions", 5);
        assertThatThrownBy(() -> service.startCheckout(owner.id(), workspace, AccountPlan.PRO))
                .isInstanceOf(StripeFailedException.class);
        assertThat(users.updatePlanCalls()).isZero();
        var state = users.findById(owner.id()).orElseThrow().settings().getJsonObject("billing");
        assertThat(state.containsKey("pending_checkout")).isFalse();
        assertThat(state.getString("last_error")).contains("fail");
        assertThat(state.getString("last_error")).doesNotContain("sk_test_unit");
    }

    @Test
    void aSecondCheckoutWhileTheFirstIsBeingCreatedIs409AndOnlyOneReachesStripe() throws Exception {
        stripe.delay("/v1/checkout/sessions", 400);
        Callable<Object> checkout = () -> {
            try {
                return service.startCheckout(owner.id(), workspace, AccountPlan.PRO);
            } catch (CheckoutInProgressException busy) {
                return busy;
            }
        };
        List<Object> answers = Threads.concurrently(List.of(checkout, checkout, checkout, checkout));

        assertThat(answers).filteredOn(StripeGateway.CheckoutSession.class::isInstance).hasSize(1);
        assertThat(answers).filteredOn(CheckoutInProgressException.class::isInstance).hasSize(3);
        assertThat(stripe.received("/v1/checkout/sessions")).hasSize(1);
    }

    @Test
    void aLaterCheckoutExpiresTheEarlierSessionSoThatNeverTwoArePayable() {
        StripeGateway.CheckoutSession first = service.startCheckout(owner.id(), workspace, AccountPlan.PRO);
        StripeGateway.CheckoutSession second = service.startCheckout(owner.id(), workspace, AccountPlan.PRO);

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(stripe.status(first.id())).isEqualTo("expired");
        assertThat(stripe.status(second.id())).isEqualTo("open");
        assertThat(users.findById(owner.id()).orElseThrow().settings().getJsonObject("billing")
                .getJsonObject("pending_checkout").getString("session_id")).isEqualTo(second.id());
    }

    @Test
    void aCheckoutAfterTheEarlierOneWasPaidIsRefusedAndAPayingUserCannotStartOne() {
        StripeGateway.CheckoutSession first = service.startCheckout(owner.id(), workspace, AccountPlan.PRO);
        stripe.complete(first.id()); // paid at Stripe; its webhook has not arrived yet

        assertThatThrownBy(() -> service.startCheckout(owner.id(), workspace, AccountPlan.PRO))
                .isInstanceOf(CheckoutCompletedException.class);
        assertThatThrownBy(() -> service.startCheckout(owner.id(), workspace, AccountPlan.PRO))
                .as("still refused until the webhook comes").isInstanceOf(CheckoutCompletedException.class);
        assertThat(stripe.received("/v1/checkout/sessions")).hasSize(1);

        long now = Instant.now().getEpochSecond();
        deliver(StripeEvents.event("checkout.session.completed", Map.of("EVENT_ID", "evt_unit_paid",
                "CREATED", Long.toString(now - 5), "EXPIRES", Long.toString(now + 3600), "SESSION_ID", first.id(),
                "USER_ID", owner.id().toString(), "CUSTOMER_ID", users.getStripeCustomerId(owner.id()).orElseThrow(),
                "WORKSPACE_ID", workspace.toString(), "PAYMENT_STATUS", "paid", "SUBSCRIPTION_ID", "sub_unit_paid")));
        assertThatThrownBy(() -> service.startCheckout(owner.id(), workspace, AccountPlan.PRO))
                .isInstanceOf(AlreadySubscribedException.class);
        assertThat(stripe.received("/v1/checkout/sessions")).hasSize(1);
    }

    @Test
    void aFailedOrExpiredCheckoutFreesTheSlot() {
        stripe.failNext("/v1/checkout/sessions", 2); // the call and the client's one retry
        assertThatThrownBy(() -> service.startCheckout(owner.id(), workspace, AccountPlan.PRO))
                .isInstanceOf(StripeFailedException.class);
        StripeGateway.CheckoutSession session = service.startCheckout(owner.id(), workspace, AccountPlan.PRO);

        long now = Instant.now().getEpochSecond();
        assertThat(deliver(StripeEvents.event("checkout.session.completed", Map.of("EVENT_ID", "evt_unit_expired",
                "CREATED", Long.toString(now - 5), "EXPIRES", Long.toString(now - 1), "SESSION_ID", session.id(),
                "USER_ID", owner.id().toString(), "CUSTOMER_ID", users.getStripeCustomerId(owner.id()).orElseThrow(),
                "WORKSPACE_ID", workspace.toString(), "PAYMENT_STATUS", "unpaid", "SUBSCRIPTION_ID", "sub_unit_none"))
                .replace("checkout.session.completed", "checkout.session.expired")
                .replace("\"status\": \"complete\"", "\"status\": \"expired\"")))
                .isEqualTo(StripeWebhooks.Outcome.APPLIED);
        assertThat(users.findById(owner.id()).orElseThrow().settings().getJsonObject("billing")
                .containsKey("pending_checkout")).isFalse();
        assertThat(service.startCheckout(owner.id(), workspace, AccountPlan.PRO).id()).isNotEqualTo(session.id());
    }

    @Test
    void aSignatureWithAnotherSecretIsRefusedBeforeAnythingIsRead() {
        String payload = StripeEvents.event("unknown", Map.of("EVENT_ID", "evt_unit_unknown", "CREATED", "1764000000"));
        long now = Instant.now().getEpochSecond();
        assertThatThrownBy(() -> webhooks.verify(payload, StripeEvents.sign(payload, "whsec_other", now)))
                .isInstanceOf(WebhookSignatureException.class);
        assertThatThrownBy(() -> webhooks.verify(payload + " ", StripeEvents.sign(payload, StripeEvents.SECRET, now)))
                .isInstanceOf(WebhookSignatureException.class);
        assertThat(billing.outcome("evt_unit_unknown")).isEmpty();
        Event event = webhooks.verify(payload, StripeEvents.sign(payload, StripeEvents.SECRET, now));
        assertThat(webhooks.apply(event)).isEqualTo(StripeWebhooks.Outcome.IGNORED);
        assertThat(users.updatePlanCalls()).isZero();
    }

    private StripeWebhooks.Outcome deliver(String payload) {
        Event event = webhooks.verify(payload, StripeEvents.sign(payload, StripeEvents.SECRET, Instant.now().getEpochSecond()));
        return webhooks.apply(event);
    }

    /** A subscription event whose period started a day before {@code now} (epoch seconds). */
    private Map<String, String> subscription(String eventId, String type, String status, long now, long created, String customer) {
        Map<String, String> values = new HashMap<>(Map.of("EVENT_ID", eventId, "CREATED", Long.toString(created),
                "API_VERSION", "2026-07-29.dahlia", "SUBSCRIPTION_ID", "sub_unit", "PERIOD_START", Long.toString(now - 86_400),
                "PERIOD_END", Long.toString(now + 29 * 86_400), "CUSTOMER_ID", customer, "USER_ID", owner.id().toString(),
                "WORKSPACE_ID", workspace.toString(), "STATUS", status));
        values.put("TYPE", type);
        values.put("CANCELED_AT", status.equals("canceled") ? Long.toString(created) : "null");
        return values;
    }

    private static void inject(Object target, String field, Object value) {
        try {
            var f = target.getClass().getDeclaredField(field);
            f.setAccessible(true);
            f.set(target, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
