package dev.flowline.billing;

import dev.flowline.testing.ApiClient.Answer;
import dev.flowline.testing.ApiOverHttp;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.Mailbox;
import dev.flowline.testing.Sql;
import dev.flowline.testing.Threads;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Billing through the API on the real database, with {@link StripeStub} standing in for Stripe: checkout (what is
 * sent, that nothing changes yet), signed webhooks (refused when not signed right, applied once however often and
 * concurrently delivered, never moved back by late events), the plan story (owned workspaces follow the owner's
 * subscription, an accepted ownership offer moves the question to the new owner), the billing cycle as the quota period, and
 * overage reported as meter events exactly once, through failures.
 */
class BillingApiIT extends ApiOverHttp {

    private static final StripeStub STRIPE = new StripeStub();
    private static final String WORKFLOW = "{\"name\":\"W\",\"definition\":{\"nodes\":[{\"id\":\"start\",\"type\":\"trigger.manual\","
            + "\"params\":{}}],\"edges\":[]}}";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withConfig(Deployments.product(),
                "flowline.stripe.api-key=sk_test_flowline_stub_key",
                "flowline.stripe.webhook-secret=" + StripeEvents.SECRET,
                "flowline.stripe.price.pro=price_pro_test",
                "flowline.stripe.overage-price=price_overage_test",
                "flowline.stripe.meter-event-name=flowline_runs",
                "flowline.stripe.api-base=" + STRIPE.baseUrl(),
                "flowline.plans.workspace.runs-per-period=2",
                "flowline.billing.overage.poll-seconds=1",
                "flowline.billing.overage.retry-seconds=1");
    }

    @AfterAll
    static void stopStub() {
        STRIPE.close();
    }

    record Owner(String id, String email, String token, String workspace) {
    }

    // --- checkout

    @Test
    void aCheckoutCreatesTheCustomerOnceAndTheSessionAndChangesNoPlan() throws SQLException {
        Owner owner = newOwner();
        Answer first = checkout(owner);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().getString("url")).startsWith("https://checkout.stripe.com/");
        Answer second = checkout(owner);
        assertThat(second.status()).isEqualTo(200);

        String customer = customerOf(owner);
        List<StripeStub.Received> customers = STRIPE.received("/v1/customers").stream()
                .filter(r -> owner.id().equals(r.params().get("metadata[flowline_user_id]"))).toList();
        assertThat(customers).singleElement().satisfies(r -> {
            assertThat(r.params()).containsEntry("email", owner.email());
            assertThat(r.idempotencyKey()).isEqualTo("customer-" + owner.id());
            assertThat(r.stripeVersion()).isEqualTo("2026-07-29.dahlia");
            assertThat(r.authorization()).isEqualTo("Bearer sk_test_flowline_stub_key");
        });
        List<StripeStub.Received> sessions = STRIPE.received("/v1/checkout/sessions").stream()
                .filter(r -> customer.equals(r.params().get("customer"))).toList();
        assertThat(sessions).hasSize(2);
        assertThat(sessions.get(0).params()).containsEntry("mode", "subscription")
                .containsEntry("client_reference_id", owner.id())
                .containsEntry("line_items[0][price]", "price_pro_test")
                .containsEntry("line_items[0][quantity]", "1")
                .containsEntry("line_items[1][price]", "price_overage_test")
                .doesNotContainKey("line_items[1][quantity]")
                .containsEntry("metadata[flowline_workspace_id]", owner.workspace())
                .containsEntry("subscription_data[metadata][flowline_user_id]", owner.id());
        assertThat(sessions.get(0).idempotencyKey()).startsWith("checkout-" + owner.id() + "-")
                .isNotEqualTo(sessions.get(1).idempotencyKey());
        assertThat(STRIPE.status(first.json().getString("stripeSessionId")))
                .as("the second checkout expired the first: never two payable sessions").isEqualTo("expired");
        assertThat(STRIPE.status(second.json().getString("stripeSessionId"))).isEqualTo("open");

        JsonObject billing = api.get("billing", owner.token()).json();
        assertThat(billing.getString("plan")).isEqualTo("FREE");
        assertThat(billing.getJsonObject("pendingCheckout").getString("stripeSessionId")).isEqualTo(second.json().getString("stripeSessionId"));
        assertThat(billing.getJsonObject("pendingCheckout").getString("plan")).isEqualTo("PRO");
        assertThat(tier(owner)).isEqualTo("SOLO");
    }

    @Test
    void aStripeFailureAtCheckoutIs502AndLeavesTheErrorToShow() {
        Owner owner = newOwner();
        assertThat(checkout(owner).status()).isEqualTo(200);
        STRIPE.failNext("/v1/checkout/sessions", 2);
        Answer failed = checkout(owner);
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.problemType()).isEqualTo("stripe-failed");
        assertThat(failed.body()).doesNotContain("sk_test");
        JsonObject billing = api.get("billing", owner.token()).json();
        assertThat(billing.containsKey("pendingCheckout")).isFalse();
        assertThat(billing.getJsonObject("lastError").getString("message")).contains("fail");
        assertThat(billing.getString("plan")).isEqualTo("FREE");
        assertThat(checkout(owner).status()).as("the failed checkout freed the slot").isEqualTo(200);
    }

    @Test
    void checkoutsStartedAtOnceMakeOneSessionAndThePaidOneRefusesTheNext() throws Exception {
        Owner owner = newOwner();
        STRIPE.delay("/v1/checkout/sessions", 500);
        List<Answer> answers;
        try {
            Callable<Answer> start = () -> checkout(owner);
            answers = Threads.concurrently(List.of(start, start, start, start, start));
        } finally {
            STRIPE.delay("/v1/checkout/sessions", 0);
        }
        assertThat(answers).filteredOn(a -> a.status() == 200).hasSize(1);
        assertThat(answers).filteredOn(a -> a.status() == 409).hasSize(4)
                .allSatisfy(a -> assertThat(a.problemType()).isEqualTo("checkout-in-progress"));
        String customer = customerOf(owner);
        assertThat(STRIPE.received("/v1/checkout/sessions").stream()
                .filter(r -> customer.equals(r.params().get("customer")))).hasSize(1);

        String paid = answers.stream().filter(a -> a.status() == 200).findFirst().orElseThrow()
                .json().getString("stripeSessionId");
        STRIPE.complete(paid); // paid at Stripe; its webhook has not come yet
        for (int i = 0; i < 2; i++) {
            Answer after = checkout(owner);
            assertThat(after.status()).as("refused until the paid session's webhook comes").isEqualTo(409);
            assertThat(after.problemType()).isEqualTo("checkout-completed");
        }
        assertThat(STRIPE.received("/v1/checkout/sessions").stream()
                .filter(r -> customer.equals(r.params().get("customer")))).hasSize(1);
    }

    @Test
    void onlyTheOwnerStartsACheckoutAndThePlanMustBeForSale() {
        Owner owner = subscribedOwner();
        String member = join(owner, "MEMBER");
        Answer asMember = api.post("billing/checkout", checkoutJson(owner.workspace(), "PRO"), member);
        assertThat(asMember.status()).isEqualTo(403);
        assertThat(asMember.problemType()).isEqualTo("owner-only");
        Answer outsider = api.post("billing/checkout", checkoutJson(owner.workspace(), "PRO"), newOwner().token());
        assertThat(outsider.status()).isEqualTo(403);
        assertThat(api.post("billing/checkout", checkoutJson(owner.workspace(), "PRO"), owner.token()).problemType())
                .isEqualTo("already-subscribed");
        Owner other = newOwner();
        assertThat(api.post("billing/checkout", checkoutJson(other.workspace(), "FREE"), other.token()).problemType())
                .isEqualTo("plan-not-for-sale");

        Answer portal = api.post("billing/portal", null, owner.token());
        assertThat(portal.status()).isEqualTo(200);
        assertThat(portal.json().getString("url")).startsWith("https://billing.stripe.com/");
        assertThat(api.post("billing/portal", null, newOwner().token()).problemType()).isEqualTo("no-billing-account");
    }

    // --- webhooks

    @Test
    void webhooksThatAreNotSignedRightAre400AndChangeNothing() throws SQLException {
        Owner owner = newOwner();
        checkout(owner);
        long now = Instant.now().getEpochSecond();
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        String payload = checkoutCompleted(owner, eventId, now - 5);
        Map<String, String> signatures = Map.of(
                "wrong secret", StripeEvents.sign(payload, "whsec_someone_else", now),
                "stale timestamp", StripeEvents.sign(payload, StripeEvents.SECRET, now - 3600),
                "tampered body", StripeEvents.sign(payload.replace("\"paid\"", "\"unpaid\""), StripeEvents.SECRET, now),
                "garbage", "t=1,v1=00");
        for (Map.Entry<String, String> bad : signatures.entrySet()) {
            Answer answer = deliver(payload, bad.getValue());
            assertThat(answer.status()).as(bad.getKey()).isEqualTo(400);
            assertThat(answer.problemType()).as(bad.getKey()).isEqualTo("stripe-signature-invalid");
        }
        assertThat(api.send(HttpRequest.newBuilder(api.uri("billing/stripe/webhook")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build()).status()).isEqualTo(400);
        assertThat(Sql.column("SELECT event_id FROM stripe_event_log WHERE event_id = ?", eventId)).isEmpty();
        assertThat(api.get("billing", owner.token()).json().getString("plan")).isEqualTo("FREE");
        assertThat(tier(owner)).isEqualTo("SOLO");
    }

    @Test
    void aCheckoutCompletedTenTimesAtOnceUpgradesOnce() throws Exception {
        Owner owner = newOwner();
        checkout(owner);
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        String payload = checkoutCompleted(owner, eventId, Instant.now().getEpochSecond() - 5);
        List<Callable<Answer>> deliveries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            deliveries.add(() -> deliver(payload, StripeEvents.sign(payload, StripeEvents.SECRET, Instant.now().getEpochSecond())));
        }
        List<Answer> answers = Threads.concurrently(deliveries);
        assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isEqualTo(200));
        assertThat(answers.stream().map(a -> a.json().getString("outcome")).collect(Collectors.groupingBy(o -> o, Collectors.counting())))
                .isEqualTo(Map.of("APPLIED", 1L, "DUPLICATE", 9L));
        assertThat(Sql.column("SELECT outcome FROM stripe_event_log WHERE event_id = ?", eventId)).containsExactly("APPLIED");

        JsonObject billing = api.get("billing", owner.token()).json();
        assertThat(billing.getString("plan")).isEqualTo("PRO");
        assertThat(billing.containsKey("pendingCheckout")).isFalse();
        assertThat(billing.getJsonObject("subscription").getString("status")).isEqualTo("active");
        assertThat(tier(owner)).isEqualTo("WORKSPACE");
        // the personal workspace is the owner's too
        assertThat(billing.getJsonArray("workspaces")).hasSize(2)
                .allSatisfy(w -> assertThat(w.asJsonObject().getString("tier")).isEqualTo("WORKSPACE"));
    }

    @Test
    void lateEventsNeverMoveTheSubscriptionBackAndTheCycleIsTheQuotaPeriod() throws SQLException {
        Owner owner = newOwner();
        checkout(owner);
        long now = Instant.now().getEpochSecond();
        long start = now - 86_400;
        long end = now + 29 * 86_400;
        assertThat(deliverSigned(subscriptionEvent(owner, "customer.subscription.updated", "active", now - 10, start, end)))
                .isEqualTo("APPLIED");
        // created earlier (incomplete, before the payment), delivered later
        assertThat(deliverSigned(subscriptionEvent(owner, "customer.subscription.created", "incomplete", now - 60, start, end)))
                .isEqualTo("STALE");
        assertThat(deliverSigned(checkoutCompleted(owner, newEventId(), now - 30))).isEqualTo("STALE");

        JsonObject billing = api.get("billing", owner.token()).json();
        assertThat(billing.getString("plan")).isEqualTo("PRO");
        assertThat(billing.getJsonObject("subscription").getString("status")).isEqualTo("active");
        assertThat(billing.getJsonObject("subscription").getString("currentPeriodStart")).isEqualTo(Instant.ofEpochSecond(start).toString());
        assertThat(tier(owner)).isEqualTo("WORKSPACE");
        JsonObject usage = api.get("workspaces/" + owner.workspace() + "/usage", owner.token()).json();
        assertThat(usage.getString("periodStart")).isEqualTo(Instant.ofEpochSecond(start).toString());
        assertThat(usage.getString("periodEnd")).isEqualTo(Instant.ofEpochSecond(end).toString());

        // a payment fails: past due, the error shown, the plan kept while Stripe retries; then it is paid
        assertThat(deliverSigned(invoiceEvent(owner, "invoice.payment_failed", now - 5))).isEqualTo("APPLIED");
        billing = api.get("billing", owner.token()).json();
        assertThat(billing.getJsonObject("subscription").getString("status")).isEqualTo("past_due");
        assertThat(billing.getJsonObject("lastError").getString("message")).contains("payment failed");
        assertThat(billing.getString("plan")).isEqualTo("PRO");
        assertThat(deliverSigned(invoiceEvent(owner, "invoice.paid", now - 4))).isEqualTo("APPLIED");
        billing = api.get("billing", owner.token()).json();
        assertThat(billing.getJsonObject("subscription").getString("status")).isEqualTo("active");
        assertThat(billing.containsKey("lastError")).isFalse();

        // the subscription ends: free again, the quota back on the calendar month
        assertThat(deliverSigned(subscriptionEvent(owner, "customer.subscription.deleted", "canceled", now - 2, start, end)))
                .isEqualTo("APPLIED");
        assertThat(deliverSigned(subscriptionEvent(owner, "customer.subscription.updated", "active", now - 1, start, end)))
                .as("nothing revives a canceled subscription").isEqualTo("STALE");
        assertThat(api.get("billing", owner.token()).json().getString("plan")).isEqualTo("FREE");
        assertThat(tier(owner)).isEqualTo("SOLO");
        assertThat(api.get("workspaces/" + owner.workspace() + "/usage", owner.token()).json().getString("periodStart"))
                .endsWith("-01T00:00:00Z");
    }

    @Test
    void unknownEventsAreAcknowledgedAndUnreadableOnesRefusedForARetry() throws SQLException {
        long now = Instant.now().getEpochSecond();
        String unknownId = newEventId();
        assertThat(deliverSigned(StripeEvents.event("unknown", Map.of("EVENT_ID", unknownId, "CREATED", Long.toString(now)))))
                .isEqualTo("IGNORED");
        Owner owner = newOwner();
        checkout(owner);
        Map<String, String> values = subscriptionValues(owner, "customer.subscription.updated", "active", now, now - 10, now + 86_400);
        values.put("API_VERSION", "2025-03-31.basil");
        String payload = StripeEvents.event("customer.subscription", values);
        Answer answer = deliver(payload, StripeEvents.sign(payload, StripeEvents.SECRET, now));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.problemType()).isEqualTo("stripe-event-unreadable");
        assertThat(Sql.column("SELECT event_id FROM stripe_event_log WHERE event_id = ?", values.get("EVENT_ID"))).isEmpty();
        assertThat(api.get("billing", owner.token()).json().getString("plan")).isEqualTo("FREE");
    }

    @Test
    void anAcceptedOwnershipOfferMovesTheBillingQuestionToTheNewOwner() {
        Owner owner = subscribedOwner();
        String memberToken = join(owner, "ADMIN");
        String memberId = api.get("me", memberToken).json().getString("id");
        Answer offered = api.post("workspaces/" + owner.workspace() + "/ownership-offer",
                "{\"userId\":\"" + memberId + "\"}", owner.token());
        assertThat(offered.status()).as(offered.toString()).isEqualTo(201);
        assertThat(tier(owner)).as("an offer changes nobody's bill").isEqualTo("WORKSPACE");
        assertThat(api.get("billing", memberToken).json().getJsonArray("workspaces")).hasSize(1);

        Answer accepted = api.post("workspaces/" + owner.workspace() + "/ownership-offer/accept", null, memberToken);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(tier(owner)).as("the new owner has no subscription").isEqualTo("SOLO");
        assertThat(api.get("billing", owner.token()).json().getJsonArray("workspaces")).hasSize(1);
        assertThat(api.get("billing", memberToken).json().getJsonArray("workspaces")).hasSize(2);
    }

    // --- overage

    @Test
    void overageRunsBecomeMeterEventsExactlyOnceThroughFailures() throws Exception {
        Owner owner = subscribedOwner();
        String customer = customerOf(owner);
        String workflow = api.post("workspaces/" + owner.workspace() + "/workflows", WORKFLOW, owner.token()).json().getString("id");
        for (int i = 0; i < 4; i++) { // 2 within the allocation, 2 overage
            assertThat(api.post("workspaces/" + owner.workspace() + "/workflows/" + workflow + "/runs", "{}", owner.token()).status())
                    .isEqualTo(201);
        }
        await(() -> reportedUnits(customer) == 2, "2 overage units reported");

        STRIPE.failNext("/v1/billing/meter_events", 4);
        assertThat(api.post("workspaces/" + owner.workspace() + "/workflows/" + workflow + "/runs", "{}", owner.token()).status())
                .isEqualTo(201);
        await(() -> workspaceBilling(owner).containsKey("overageReportError"), "the failure shown in the billing overview");
        await(() -> reportedUnits(customer) == 3, "the third unit reported after the failures");
        await(() -> workspaceBilling(owner).getInt("overageReported") == 3, "the third unit marked as sent");
        int requests = meterEvents(customer).size();
        Thread.sleep(2500); // a few more ticks: nothing is sent again
        assertThat(meterEvents(customer)).hasSize(requests);
        assertThat(reportedUnits(customer)).isEqualTo(3);

        List<StripeStub.Received> events = meterEvents(customer);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.params()).containsEntry("event_name", "flowline_runs");
            assertThat(e.params().get("identifier")).startsWith("flowline-overage-" + owner.workspace() + "-");
            assertThat(e.idempotencyKey()).isEqualTo(e.params().get("identifier"));
        });
        Map<String, List<StripeStub.Received>> byIdentifier = events.stream()
                .collect(Collectors.groupingBy(e -> e.params().get("identifier")));
        assertThat(byIdentifier.values()).anySatisfy(tries -> assertThat(tries).as("retried with the same identifier")
                .extracting(StripeStub.Received::status).contains(500, 200));
        assertThat(byIdentifier.values()).allSatisfy(tries -> assertThat(tries).extracting(StripeStub.Received::status)
                .containsOnlyOnce(200));
        JsonObject overview = workspaceBilling(owner);
        assertThat(overview.getInt("overage")).isEqualTo(3);
        assertThat(overview.getInt("overageReported")).isEqualTo(3);
        assertThat(overview.getInt("overagePending")).isZero();
        assertThat(overview.containsKey("overageReportError")).isFalse();
    }

    // --- helpers

    /** Units Stripe would count: one value per distinct identifier accepted (it deduplicates on the identifier). */
    private static int reportedUnits(String customer) {
        Map<String, Integer> distinct = new HashMap<>();
        meterEvents(customer).stream().filter(e -> e.status() == 200).forEach(e -> distinct.put(e.params().get("identifier"), Integer.parseInt(e.params().get("payload[value]"))));
        return distinct.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static List<StripeStub.Received> meterEvents(String customer) {
        return STRIPE.received("/v1/billing/meter_events").stream()
                .filter(e -> customer.equals(e.params().get("payload[stripe_customer_id]"))).toList();
    }

    private JsonObject workspaceBilling(Owner owner) {
        return api.get("billing", owner.token()).json().getJsonArray("workspaces").stream().map(v -> v.asJsonObject())
                .filter(w -> w.getString("workspaceId").equals(owner.workspace())).findFirst().orElseThrow();
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private Owner newOwner() {
        String email = "payer-" + UUID.randomUUID() + "@example.com";
        String token = api.signupVerifiedAndLogin(email, PASSWORD);
        String id = api.get("me", token).json().getString("id");
        Answer created = api.post("workspaces", "{\"name\":\"Paid team\"}", token);
        assertThat(created.status()).isEqualTo(201);
        return new Owner(id, email, token, created.json().getString("id"));
    }

    /** An owner whose checkout completed and whose subscription (with the overage item) is active. */
    private Owner subscribedOwner() {
        Owner owner = newOwner();
        assertThat(checkout(owner).status()).isEqualTo(200);
        long now = Instant.now().getEpochSecond();
        assertThat(deliverSigned(checkoutCompleted(owner, newEventId(), now - 20))).isEqualTo("APPLIED");
        assertThat(deliverSigned(subscriptionEvent(owner, "customer.subscription.updated", "active", now - 10,
                now - 3600, now + 30 * 86_400))).isEqualTo("APPLIED");
        assertThat(tier(owner)).isEqualTo("WORKSPACE");
        return owner;
    }

    private String join(Owner owner, String role) {
        String email = role.toLowerCase() + "-" + UUID.randomUUID() + "@example.com";
        String token = api.signupVerifiedAndLogin(email, PASSWORD);
        assertThat(api.post("workspaces/" + owner.workspace() + "/invitations",
                "{\"email\":\"" + email + "\",\"role\":\"" + role + "\"}", owner.token()).status()).isEqualTo(201);
        String invitation = Mailbox.token(email, "You are invited to Paid team", 1);
        assertThat(api.post("invitations/accept", "{\"token\":\"" + invitation + "\"}", token).status()).isEqualTo(200);
        return token;
    }

    private Answer checkout(Owner owner) {
        return api.post("billing/checkout", checkoutJson(owner.workspace(), "PRO"), owner.token());
    }

    private static String checkoutJson(String workspace, String plan) {
        return "{\"workspaceId\":\"" + workspace + "\",\"plan\":\"" + plan + "\"}";
    }

    private String tier(Owner owner) {
        return api.get("workspaces/" + owner.workspace(), owner.token()).json().getString("plan");
    }

    private static String customerOf(Owner owner) {
        try {
            return Sql.column("SELECT stripe_customer_id FROM users WHERE id = ?::uuid", owner.id()).get(0);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newEventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "");
    }

    private String checkoutCompleted(Owner owner, String eventId, long created) {
        String session = api.get("billing", owner.token()).json().getJsonObject("pendingCheckout") == null ? "cs_test_none"
                : api.get("billing", owner.token()).json().getJsonObject("pendingCheckout").getString("stripeSessionId");
        return StripeEvents.event("checkout.session.completed", Map.of("EVENT_ID", eventId, "CREATED", Long.toString(created),
                "EXPIRES", Long.toString(created + 86_400), "SESSION_ID", session, "USER_ID", owner.id(),
                "CUSTOMER_ID", customerOf(owner), "WORKSPACE_ID", owner.workspace(), "PAYMENT_STATUS", "paid",
                "SUBSCRIPTION_ID", "sub_" + owner.id().replace("-", "")));
    }

    private Map<String, String> subscriptionValues(Owner owner, String type, String status, long created, long start, long end) {
        Map<String, String> values = new HashMap<>(Map.of("EVENT_ID", newEventId(), "CREATED", Long.toString(created),
                "API_VERSION", "2026-07-29.dahlia", "SUBSCRIPTION_ID", "sub_" + owner.id().replace("-", ""),
                "PERIOD_START", Long.toString(start), "PERIOD_END", Long.toString(end), "CUSTOMER_ID", customerOf(owner),
                "USER_ID", owner.id(), "WORKSPACE_ID", owner.workspace(), "STATUS", status));
        values.put("TYPE", type);
        values.put("CANCELED_AT", status.equals("canceled") ? Long.toString(created) : "null");
        return values;
    }

    private String subscriptionEvent(Owner owner, String type, String status, long created, long start, long end) {
        return StripeEvents.event("customer.subscription", subscriptionValues(owner, type, status, created, start, end));
    }

    private String invoiceEvent(Owner owner, String type, long created) {
        boolean paid = type.equals("invoice.paid");
        return StripeEvents.event("invoice", Map.of("EVENT_ID", newEventId(), "CREATED", Long.toString(created),
                "CUSTOMER_ID", customerOf(owner), "USER_ID", owner.id(), "SUBSCRIPTION_ID", "sub_" + owner.id().replace("-", ""),
                "AMOUNT_PAID", paid ? "2900" : "0", "AMOUNT_REMAINING", paid ? "0" : "2900",
                "INVOICE_STATUS", paid ? "paid" : "open", "TYPE", type));
    }

    /** Delivers {@code payload} signed now with the right secret; answers the outcome. */
    private String deliverSigned(String payload) {
        Answer answer = deliver(payload, StripeEvents.sign(payload, StripeEvents.SECRET, Instant.now().getEpochSecond()));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json().getString("outcome");
    }

    private Answer deliver(String payload, String signature) {
        return api.send(HttpRequest.newBuilder(api.uri("billing/stripe/webhook"))
                .header("Content-Type", "application/json")
                .header("Stripe-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build());
    }
}
