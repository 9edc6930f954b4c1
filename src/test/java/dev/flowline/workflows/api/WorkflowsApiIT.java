package dev.flowline.workflows.api;

import dev.flowline.testing.ApiClient.Answer;
import dev.flowline.testing.ApiOverHttp;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.Sql;
import dev.flowline.workflows.WebhookSignature;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.flowline.testing.Fixtures.newEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workflows over HTTP on the real database: create, edit with If-Match, versions, manual and webhook runs with
 * their idempotency, schedules with their next firings, run lists, dead letters.
 */
class WorkflowsApiIT extends ApiOverHttp {

    static final String MANUAL = "{\"nodes\":[{\"id\":\"start\",\"type\":\"trigger.manual\",\"params\":{}},"
            + "{\"id\":\"greet\",\"type\":\"data.set\",\"params\":{\"values\":{\"message\":\"Hello {{input.name}}\"}}}],"
            + "\"edges\":[{\"from\":\"start\",\"to\":\"greet\"}]}";
    static final String WEBHOOK = MANUAL.replace("trigger.manual", "trigger.webhook");
    static final String SCHEDULED = MANUAL.replace("trigger.manual", "trigger.schedule");

    /** The engine is off here: these tests look at runs as they were queued (EngineIT executes them). */
    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withConfig(Deployments.product(), "flowline.engine.enabled=false",
                "flowline.webhooks.refusal-log-seconds=1");
    }

    String token;
    String workspace;

    @BeforeEach
    void memberWithWorkspace() {
        token = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        workspace = api.get("workspaces", token).json().getJsonArray("items").getJsonObject(0).getString("id");
    }

    private String workflows() {
        return "workspaces/" + workspace + "/workflows";
    }

    private Answer create(String name, String definition) {
        return api.post(workflows(), "{\"name\":\"" + name + "\",\"definition\":" + definition + "}", token);
    }

    @Test
    void aWorkflowIsCreatedEditedWithIfMatchAndVersioned() {
        Answer created = create("Greeter", MANUAL);
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().getString("id");
        assertThat(created.json().getInt("currentVersion")).isEqualTo(1);
        assertThat(created.json().getString("triggerType")).isEqualTo("trigger.manual");
        assertThat(created.json().getInt("concurrencyLimit")).as("runs of a workflow overlap unless it says otherwise")
                .isEqualTo(10);
        String etag = created.header("ETag").orElseThrow();

        String edited = "{\"name\":\"Greeter v2\",\"definition\":" + MANUAL.replace("Hello", "Hi") + "}";
        assertThat(api.send("PUT", workflows() + "/" + id, "application/json", edited, token).status()).isEqualTo(428);
        Answer updated = api.send(api.request(workflows() + "/" + id, token).header("Content-Type", "application/json")
                .header("If-Match", etag).PUT(HttpRequest.BodyPublishers.ofString(edited)).build());
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().getInt("currentVersion")).isEqualTo(2);
        Answer stale = api.send(api.request(workflows() + "/" + id, token).header("Content-Type", "application/json")
                .header("If-Match", etag).PUT(HttpRequest.BodyPublishers.ofString(edited)).build());
        assertThat(stale.status()).isEqualTo(412);

        Answer versions = api.get(workflows() + "/" + id + "/versions", token);
        assertThat(versions.json().getJsonArray("items")).extracting(v -> v.asJsonObject().getInt("number")).containsExactly(2, 1);
        assertThat(api.get(workflows() + "/" + id + "/versions/1", token).body()).contains("Hello");
        Answer restored = api.post(workflows() + "/" + id + "/versions/1/restore", null, token);
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.json().getInt("currentVersion")).isEqualTo(3);
        assertThat(restored.json().getJsonObject("definition").toString()).contains("Hello");
        assertThat(api.get(workflows() + "/" + id + "/versions/9", token).status()).isEqualTo(404);
    }

    @Test
    void anErrorWorkflowIsAnotherWorkflowOfTheWorkspaceSetAndClearedLikeTheOtherFields() {
        String handler = create("On failure", MANUAL).json().getString("id");
        Answer created = api.post(workflows(), "{\"name\":\"Guarded\",\"errorWorkflowId\":\"" + handler
                + "\",\"definition\":" + MANUAL + "}", token);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().getString("id");
        assertThat(created.json().getString("errorWorkflowId")).isEqualTo(handler);
        assertThat(api.get(workflows() + "/" + id, token).json().getString("errorWorkflowId")).isEqualTo(handler);
        assertThat(api.get(workflows(), token).json().getJsonArray("items")).extracting(w -> w.asJsonObject())
                .filteredOn(w -> w.getString("id").equals(id))
                .extracting(w -> w.getString("errorWorkflowId")).containsExactly(handler);

        // itself: refused
        Answer self = replace(id, "{\"name\":\"Guarded\",\"errorWorkflowId\":\"" + id + "\",\"definition\":" + MANUAL + "}");
        assertThat(self.status()).as(self.toString()).isEqualTo(400);
        assertThat(self.json().getJsonArray("errors")).extracting(e -> e.asJsonObject().getString("field"))
                .containsExactly("errorWorkflowId");

        // another workspace's workflow is refused exactly like a workflow that does not exist
        String stranger = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String theirWorkspace = api.get("workspaces", stranger).json().getJsonArray("items").getJsonObject(0).getString("id");
        String theirs = api.post("workspaces/" + theirWorkspace + "/workflows",
                "{\"name\":\"Theirs\",\"definition\":" + MANUAL + "}", stranger).json().getString("id");
        Answer foreign = replace(id, "{\"name\":\"Guarded\",\"errorWorkflowId\":\"" + theirs + "\",\"definition\":"
                + MANUAL + "}");
        Answer unknown = replace(id, "{\"name\":\"Guarded\",\"errorWorkflowId\":\"" + UUID.randomUUID()
                + "\",\"definition\":" + MANUAL + "}");
        assertThat(foreign.status()).as(foreign.toString()).isEqualTo(400);
        assertThat(foreign.json().getString("detail")).isEqualTo(unknown.json().getString("detail"));
        assertThat(foreign.json().getJsonArray("errors")).isEqualTo(unknown.json().getJsonArray("errors"));
        assertThat(foreign.body()).doesNotContain(theirs);
        Answer foreignOnCreate = api.post(workflows(), "{\"name\":\"Sneaky\",\"errorWorkflowId\":\"" + theirs
                + "\",\"definition\":" + MANUAL + "}", token);
        assertThat(foreignOnCreate.status()).isEqualTo(400);
        assertThat(api.get(workflows() + "/" + id, token).json().getString("errorWorkflowId")).as("nothing changed")
                .isEqualTo(handler);

        // a replacement without it clears it; null too
        Answer cleared = replace(id, "{\"name\":\"Guarded\",\"errorWorkflowId\":null,\"definition\":" + MANUAL + "}");
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.json().get("errorWorkflowId")).isIn(null, JsonValue.NULL);
        Answer setAgain = replace(id, "{\"name\":\"Guarded\",\"errorWorkflowId\":\"" + handler + "\",\"definition\":"
                + MANUAL + "}");
        assertThat(setAgain.json().getString("errorWorkflowId")).isEqualTo(handler);
        Answer omitted = replace(id, "{\"name\":\"Guarded\",\"definition\":" + MANUAL + "}");
        assertThat(omitted.json().get("errorWorkflowId")).isIn(null, JsonValue.NULL);

        // deleting the error workflow clears the reference (ON DELETE SET NULL)
        replace(id, "{\"name\":\"Guarded\",\"errorWorkflowId\":\"" + handler + "\",\"definition\":" + MANUAL + "}");
        assertThat(api.send("DELETE", workflows() + "/" + handler, null, null, token).status()).isEqualTo(204);
        assertThat(api.get(workflows() + "/" + id, token).json().get("errorWorkflowId")).isIn(null, JsonValue.NULL);
    }

    /** PUT of the workflow with the ETag it has now. */
    private Answer replace(String id, String body) {
        String etag = api.get(workflows() + "/" + id, token).header("ETag").orElseThrow();
        return api.send(api.request(workflows() + "/" + id, token).header("Content-Type", "application/json")
                .header("If-Match", etag).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void invalidDefinitionsAre400NamingTheNodeAndField() {
        Answer invalid = create("Broken", "{\"nodes\":[{\"id\":\"start\",\"type\":\"trigger.manual\",\"params\":{}},"
                + "{\"id\":\"call\",\"type\":\"http.request\",\"params\":{\"method\":\"GET\"}}],"
                + "\"edges\":[{\"from\":\"start\",\"to\":\"call\"},{\"from\":\"call\",\"to\":\"ghost\"}]}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().getJsonArray("errors")).extracting(e -> e.asJsonObject().getString("field"))
                .contains("definition.nodes[call].params.url", "definition.edges[1].to");
        assertThat(create("No trigger", "{\"nodes\":[],\"edges\":[]}").status()).isEqualTo(400);
    }

    @Test
    void manualRunsAreIdempotentPerKeyAndListed() {
        String id = create("Manual", MANUAL).json().getString("id");
        HttpRequest.Builder start = api.request(workflows() + "/" + id + "/runs", token)
                .header("Content-Type", "application/json").header("Idempotency-Key", "order-42")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":{\"name\":\"Ann\"}}"));
        Answer first = api.send(start.build());
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().getString("status")).isEqualTo("QUEUED");
        assertThat(first.json().getString("trigger")).isEqualTo("MANUAL");
        Answer again = api.send(start.build());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().getString("id")).isEqualTo(first.json().getString("id"));
        assertThat(api.post(workflows() + "/" + id + "/runs", null, token).status()).isEqualTo(201);

        Answer runs = api.get("workspaces/" + workspace + "/runs?status=QUEUED&limit=1", token);
        assertThat(runs.status()).isEqualTo(200);
        assertThat(runs.json().getJsonArray("items")).hasSize(1);
        assertThat(runs.json().getString("nextCursor")).isNotBlank();
        assertThat(api.get(workflows() + "/" + id + "/runs", token).json().getJsonArray("items")).hasSize(2);
        JsonObject usage = api.get("workspaces/" + workspace + "/usage", token).json();
        assertThat(usage.getJsonObject("runs").getInt("used")).isEqualTo(2);

        String runId = first.json().getString("id");
        Answer read = api.get("workspaces/" + workspace + "/runs/" + runId, token);
        assertThat(read.json().getJsonObject("input").getString("name")).isEqualTo("Ann");
        assertThat(read.json().getJsonArray("steps")).isEmpty();
        assertThat(read.json().containsKey("stepsNextCursor")).isFalse();
        Answer canceled = api.post("workspaces/" + workspace + "/runs/" + runId + "/cancel", null, token);
        assertThat(canceled.json().getString("status")).isEqualTo("CANCELED");
        assertThat(api.post("workspaces/" + workspace + "/runs/" + runId + "/cancel", null, token).status()).isEqualTo(200);
        assertThat(api.get("workspaces/" + workspace + "/usage", token).json().getJsonObject("runs").getInt("used"))
                .as("a run canceled before it ran gives its unit back, once").isEqualTo(1);
        Answer rerun = api.post("workspaces/" + workspace + "/runs/" + runId + "/rerun", null, token);
        assertThat(rerun.status()).isEqualTo(201);
        assertThat(rerun.json().getString("rerunOf")).isEqualTo(runId);
        assertThat(api.get("workspaces/" + workspace + "/runs?status=BOGUS", token).status()).isEqualTo(400);
    }

    @Test
    void signedWebhookDeliveriesStartRunsOncePerDeliveryId() {
        Answer created = create("Hooked", WEBHOOK);
        JsonObject webhook = created.json().getJsonObject("webhook");
        String secret = webhook.getString("secret");
        String url = webhook.getString("url");
        assertThat(secret).startsWith("whsec_");
        String id = created.json().getString("id");
        assertThat(api.get(workflows() + "/" + id + "/webhook", token).json().containsKey("secret")).isFalse();

        byte[] body = "{\"name\":\"Bob\"}".getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        Answer delivered = deliver(url, body, now, WebhookSignature.sign(secret, now, body), "delivery-1");
        assertThat(delivered.status()).isEqualTo(202);
        String runId = delivered.json().getString("runId");
        assertThat(deliver(url, body, now, WebhookSignature.sign(secret, now, body), "delivery-1").json().getString("runId"))
                .isEqualTo(runId);
        Answer replayed = deliver(url, body, now, WebhookSignature.sign(secret, now, body), "another-id");
        assertThat(replayed.status()).as("a captured request replayed under a new delivery id").isEqualTo(202);
        assertThat(replayed.json().getString("runId")).isEqualTo(runId);
        assertThat(replayed.json().getBoolean("duplicate")).isTrue();
        assertThat(deliver(url, body, now, WebhookSignature.sign(secret, now, body), null).json().getString("runId"))
                .as("or under none").isEqualTo(runId);
        assertThat(api.get("workspaces/" + workspace + "/runs/" + runId, token).json().getJsonObject("input").getString("name"))
                .isEqualTo("Bob");

        Answer forged = deliver(url, body, now, WebhookSignature.sign("whsec_wrong", now, body), null);
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Flowline-Signature"));
        assertThat(deliver(url, body, now, null, null).status()).isEqualTo(401);
        long stale = now - 600;
        assertThat(deliver(url, body, stale, WebhookSignature.sign(secret, stale, body), null).status()).isEqualTo(401);
        byte[] huge = ("{\"x\":\"" + "y".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(deliver(url, huge, now, WebhookSignature.sign(secret, now, huge), null).status()).isEqualTo(413);

        Answer rotated = api.post(workflows() + "/" + id + "/webhook/rotate", null, token);
        String newSecret = rotated.json().getString("secret");
        assertThat(rotated.json().getString("url")).isEqualTo(url);
        assertThat(deliver(url, body, now, WebhookSignature.sign(secret, now, body), null).status()).isEqualTo(401);
        assertThat(deliver(url, body, now, WebhookSignature.sign(newSecret, now, body), null).status()).isEqualTo(202);

        // refusals by signature or timestamp are tallied and logged every second here (10 s by default)
        Map<String, Integer> tallied = Map.of();
        Instant deadline = Instant.now().plusSeconds(20);
        while (!tallied.equals(Map.of("REJECTED_SIGNATURE", 3, "REJECTED_TIMESTAMP", 1))
                && Instant.now().isBefore(deadline)) {
            sleep(200);
            tallied = api.get(workflows() + "/" + id + "/webhook/deliveries", token).json().getJsonArray("items")
                    .stream().map(JsonValue::asJsonObject)
                    .filter(d -> d.getString("outcome").startsWith("REJECTED"))
                    .collect(Collectors.toMap(d -> d.getString("outcome"), d -> d.getInt("repeats"), Integer::sum));
        }
        assertThat(tallied).as("3 wrong or missing signatures, 1 stale timestamp")
                .isEqualTo(Map.of("REJECTED_SIGNATURE", 3, "REJECTED_TIMESTAMP", 1));
        Answer deliveries = api.get(workflows() + "/" + id + "/webhook/deliveries", token);
        assertThat(deliveries.json().getJsonArray("items")).extracting(d -> d.asJsonObject().getString("outcome"))
                .contains("ACCEPTED", "DUPLICATE", "REJECTED_SIGNATURE", "REJECTED_TIMESTAMP");
        assertThat(deliveries.json().getJsonArray("items")).filteredOn(d -> d.asJsonObject().getString("outcome")
                .equals("ACCEPTED")).allSatisfy(d -> assertThat(d.asJsonObject().getInt("repeats")).isEqualTo(1));
        assertThat(api.send(HttpRequest.newBuilder(URI.create(url.replaceAll("/hooks/.*", "/hooks/wh_unknown")))
                .POST(HttpRequest.BodyPublishers.noBody()).build()).status()).isEqualTo(404);
    }

    @Test
    void schedulesShowTheirNextFiringsAndPause() {
        String id = create("Daily", SCHEDULED).json().getString("id");
        Answer set = api.send("PUT", workflows() + "/" + id + "/schedule", "application/json",
                "{\"cron\":\"30 9 * * 1-5\",\"timezone\":\"Europe/Berlin\",\"missedFiringPolicy\":\"SKIP\"}", token);
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().getJsonArray("nextFirings")).hasSize(5);
        assertThat(set.json().getString("nextRunAt")).isEqualTo(set.json().getJsonArray("nextFirings").getString(0));
        Answer paused = api.post(workflows() + "/" + id + "/schedule/pause", null, token);
        assertThat(paused.json().getBoolean("paused")).isTrue();
        assertThat(paused.json().getJsonArray("nextFirings")).isEmpty();
        assertThat(api.post(workflows() + "/" + id + "/schedule/resume", null, token).json().getBoolean("paused")).isFalse();
        assertThat(api.send("PUT", workflows() + "/" + id + "/schedule", "application/json",
                "{\"cron\":\"61 * * * *\"}", token).status()).isEqualTo(400);
        assertThat(api.send("PUT", workflows() + "/" + id + "/schedule", "application/json",
                "{\"cron\":\"* * * * *\",\"timezone\":\"Mars/Olympus\"}", token).status()).isEqualTo(400);

        String manual = create("Not scheduled", MANUAL).json().getString("id");
        assertThat(api.send("PUT", workflows() + "/" + manual + "/schedule", "application/json",
                "{\"cron\":\"* * * * *\"}", token).problemType()).isEqualTo("wrong-trigger");
        assertThat(api.send("DELETE", workflows() + "/" + id + "/schedule", null, null, token).status()).isEqualTo(204);
    }

    @Test
    void anUnverifiedAddressBuildsWorkflowsButStartsNoRuns() {
        String unverified = api.signupAndLogin(newEmail(), PASSWORD);
        String personal = api.get("workspaces", unverified).json().getJsonArray("items").getJsonObject(0).getString("id");
        String base = "workspaces/" + personal + "/workflows";
        Answer manual = api.post(base, "{\"name\":\"Draft\",\"definition\":" + MANUAL + "}", unverified);
        assertThat(manual.status()).as("building is free").isEqualTo(201);
        Answer start = api.post(base + "/" + manual.json().getString("id") + "/runs", null, unverified);
        assertThat(start.status()).isEqualTo(403);
        assertThat(start.problemType()).isEqualTo("email-not-verified");
        String scheduled = api.post(base, "{\"name\":\"Nightly\",\"definition\":" + SCHEDULED + "}", unverified)
                .json().getString("id");
        assertThat(api.send("PUT", base + "/" + scheduled + "/schedule", "application/json", "{\"cron\":\"* * * * *\"}",
                unverified).problemType()).isEqualTo("email-not-verified");
        assertThat(api.get("workspaces/" + personal + "/runs", unverified).json().getJsonArray("items")).isEmpty();
    }

    @Test
    void aRunsStepsArePagedAndItsReadEmbedsTheFirst200() throws SQLException {
        String id = create("Long", MANUAL).json().getString("id");
        String runId = api.post(workflows() + "/" + id + "/runs", null, token).json().getString("id");
        // what an engine writes over a long run: 201 steps, one millisecond apart
        assertThat(Sql.update("""
                INSERT INTO workflow_run_steps (id, run_id, node_id, status, attempt, started_at)
                SELECT gen_random_uuid(), CAST(? AS uuid), 'n' || g, 'SUCCEEDED', 1,
                       TIMESTAMPTZ '2030-01-01 00:00:00Z' + g * INTERVAL '1 millisecond'
                FROM generate_series(1, 201) AS g""", runId)).isEqualTo(201);

        JsonObject read = api.get("workspaces/" + workspace + "/runs/" + runId, token).json();
        assertThat(read.getJsonArray("steps")).hasSize(200);
        assertThat(read.getJsonArray("steps").getJsonObject(0).getString("nodeId")).isEqualTo("n1");
        String rest = read.getString("stepsNextCursor");
        Answer last = api.get("workspaces/" + workspace + "/runs/" + runId + "/steps?cursor=" + rest, token);
        assertThat(last.json().getJsonArray("items")).extracting(s -> s.asJsonObject().getString("nodeId"))
                .containsExactly("n201");
        assertThat(last.json().containsKey("nextCursor")).isFalse();

        List<String> nodes = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonObject page = api.get("workspaces/" + workspace + "/runs/" + runId + "/steps?limit=150&cursor=" + cursor,
                    token).json();
            page.getJsonArray("items").forEach(s -> nodes.add(s.asJsonObject().getString("nodeId")));
            cursor = page.getString("nextCursor", null);
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(2);
        assertThat(nodes).hasSize(201).doesNotHaveDuplicates().startsWith("n1", "n2").endsWith("n201");
        assertThat(api.get("workspaces/" + workspace + "/runs/" + UUID.randomUUID() + "/steps", token).status())
                .isEqualTo(404);
        assertThat(api.get("workspaces/" + workspace + "/runs/" + runId + "/steps?limit=201", token).status())
                .isEqualTo(400);
    }

    @Test
    void deadLettersAreListedRequeuedAndDiscarded() throws SQLException {
        String id = create("Fragile", MANUAL).json().getString("id");
        String runA = api.post(workflows() + "/" + id + "/runs", "{\"input\":{\"n\":1}}", token).json().getString("id");
        String runB = api.post(workflows() + "/" + id + "/runs", "{\"input\":{\"n\":2}}", token).json().getString("id");
        String runC = api.post(workflows() + "/" + id + "/runs", "{\"input\":{\"n\":3}}", token).json().getString("id");
        // What the engine does when retries run out (WorkflowRepository.deadLetter, covered by the persistence test).
        deadLetter(runA, "HTTP 500 from api.example.com");
        deadLetter(runB, "timeout");
        deadLetter(runC, "timeout");

        Answer letters = api.get("workspaces/" + workspace + "/dead-letters", token);
        assertThat(letters.json().getJsonArray("items")).hasSize(3);
        String letterA = letters.json().getJsonArray("items").stream().map(v -> v.asJsonObject())
                .filter(l -> l.getString("runId").equals(runA)).findFirst().orElseThrow().getString("id");
        String letterB = letters.json().getJsonArray("items").stream().map(v -> v.asJsonObject())
                .filter(l -> l.getString("runId").equals(runB)).findFirst().orElseThrow().getString("id");

        Answer requeued = api.post("workspaces/" + workspace + "/dead-letters/" + letterA + "/requeue", null, token);
        assertThat(requeued.status()).isEqualTo(201);
        assertThat(requeued.json().getString("trigger")).isEqualTo("RETRY");
        assertThat(requeued.json().getJsonObject("input").getInt("n")).isEqualTo(1);
        String letterC = letters.json().getJsonArray("items").stream().map(v -> v.asJsonObject())
                .filter(l -> l.getString("runId").equals(runC)).findFirst().orElseThrow().getString("id");
        Answer bulk = api.post("workspaces/" + workspace + "/dead-letters/requeue",
                "{\"ids\":[\"" + letterA + "\",\"" + letterC + "\"]}", token);
        assertThat(bulk.status()).isEqualTo(200);
        JsonObject gone = bulk.json().getJsonArray("items").getJsonObject(0);
        assertThat(gone.getString("deadLetterId")).isEqualTo(letterA);
        assertThat(gone.getString("result")).as("requeued above").isEqualTo("NOT_FOUND");
        assertThat(gone.containsKey("run")).isFalse();
        JsonObject again = bulk.json().getJsonArray("items").getJsonObject(1);
        assertThat(again.getString("deadLetterId")).isEqualTo(letterC);
        assertThat(again.getString("result")).isEqualTo("REQUEUED");
        assertThat(again.getJsonObject("run").getString("trigger")).isEqualTo("RETRY");
        assertThat(again.getJsonObject("run").getJsonObject("input").getInt("n")).isEqualTo(3);
        assertThat(api.send("DELETE", "workspaces/" + workspace + "/dead-letters/" + letterB, null, null, token).status())
                .isEqualTo(204);
        assertThat(api.get("workspaces/" + workspace + "/dead-letters", token).json().getJsonArray("items")).isEmpty();
        assertThat(api.get("workspaces/" + workspace + "/runs/" + runB, token).json().getString("status")).isEqualTo("DEAD_LETTERED");
    }

    private Answer deliver(String url, byte[] body, long timestamp, String signature, String deliveryId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("X-Flowline-Timestamp", Long.toString(timestamp))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Flowline-Signature", signature);
        }
        if (deliveryId != null) {
            request.header("X-Flowline-Delivery", deliveryId);
        }
        return api.send(request.build());
    }

    private static void deadLetter(String runId, String error) throws SQLException {
        Sql.update("UPDATE workflow_runs SET status = 'DEAD_LETTERED', attempt = 3, error = ?, finished_at = now()"
                + " WHERE id = ?::uuid", error, runId);
        Sql.update("INSERT INTO dead_letters (id, workspace_id, workflow_id, run_id, error, last_node_id, attempts,"
                + " created_at) SELECT gen_random_uuid(), workspace_id, workflow_id, id, error, 'greet', 3, now()"
                + " FROM workflow_runs WHERE id = ?::uuid", runId);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
