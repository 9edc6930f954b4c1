package dev.flowline.platform.rest;

import dev.flowline.testing.ApiClient.Answer;
import dev.flowline.testing.ApiOverHttp;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.TestLogResource;
import dev.flowline.testing.TestServer;
import dev.flowline.testing.TestServicesListener;
import dev.flowline.workflows.WebhookSignature;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.flowline.testing.Fixtures.newEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators get (issue 12): one request log line per request with its route template (never the raw path),
 * status, duration and request id; HTTP metrics by route template, method and status class at {@code /metrics};
 * a start-up summary without secrets; health split into liveness and readiness; and while the database refuses
 * connections (issue 22), liveness UP, readiness DOWN, API calls and webhooks 503 with Retry-After, until it is back.
 */
class OperationsIT extends ApiOverHttp {

    /** A real secret in this deployment's configuration, which the start-up summary must not print. */
    private static final String ENCRYPTION_KEY = "kops:" + java.util.Base64.getEncoder().encodeToString(
            "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withConfig(Deployments.withoutBackgroundJobs(Deployments.product()),
                "flowline.encryption-keys=" + ENCRYPTION_KEY).addClass(TestLogResource.class);
    }

    @Test
    void everyRequestIsOneLogLineWithItsRouteTemplateStatusDurationAndRequestId() {
        String session = api.signupAndLogin(newEmail(), PASSWORD);
        assertThat(api.post("test-support/log/capture", null).status()).isEqualTo(204);
        UUID stranger = UUID.randomUUID();

        assertThat(withRequestId("GET", "me", session, "ops-me").status()).isEqualTo(200);
        assertThat(withRequestId("GET", "workspaces/" + stranger, session, "ops-stranger").status()).isEqualTo(403);
        assertThat(withRequestId("GET", "workspaces?limit=abc", session, "ops-limit").status()).isEqualTo(400);
        assertThat(withRequestId("GET", "no-such-resource", session, "ops-unknown").status()).isEqualTo(404);
        assertThat(withRequestId("DELETE", "me", session, "ops-method").status()).isEqualTo(405);

        List<String> lines = api.get("test-support/log", null).json().getJsonArray("lines")
                .getValuesAs(jakarta.json.JsonString::getString);
        assertThat(line(lines, "ops-me")).matches("GET /api/v1/me 200 \\d+\\.\\dms requestId=ops-me");
        assertThat(line(lines, "ops-stranger")).startsWith("GET /api/v1/workspaces/{id} 403 ");
        assertThat(line(lines, "ops-limit")).startsWith("GET /api/v1/workspaces 400 ");
        assertThat(line(lines, "ops-unknown")).startsWith("GET unmatched 404 ");
        assertThat(line(lines, "ops-method")).startsWith("DELETE unmatched 405 ");
        assertThat(String.join("\n", lines)).as("no raw ids, no tokens, no query strings")
                .doesNotContain(stranger.toString()).doesNotContain(session).doesNotContain("limit=");
    }

    @Test
    void metricsCountRequestsByRouteTemplateMethodAndStatusClass() {
        String session = api.signupAndLogin(newEmail(), PASSWORD);
        UUID stranger = UUID.randomUUID();
        api.get("me", session);
        api.get("workspaces/" + stranger, session);

        Answer metrics = api.send(HttpRequest.newBuilder(TestServer.operations(api.uri("/")).resolve("/metrics?scope=application"))
                .header("Accept", "text/plain").GET().build());
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(series(metrics.body(), "flowline_http_requests_seconds_count", "/api/v1/me", "GET", "2xx")).isTrue();
        assertThat(series(metrics.body(), "flowline_http_requests_seconds_count", "/api/v1/workspaces/{id}", "GET", "4xx"))
                .isTrue();
        assertThat(series(metrics.body(), "flowline_http_requests_seconds_sum", "/api/v1/me", "GET", "2xx")).isTrue();
        assertThat(metrics.body()).doesNotContain(stranger.toString());
    }

    /**
     * The pool gauges (issue 23), the same names on both servers: a request blocked on a row lock holds its
     * connection, and in_use shows it; once it is done the connection is idle again.
     */
    @Test
    void thePoolGaugesShowConnectionsInUseIdleWaitingAndTheMaximum() throws Exception {
        String session = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        Answer created = api.post("workspaces", "{\"name\":\"Pool\"}", session);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String workspace = created.json().getString("id");

        try (Connection lock = java.sql.DriverManager.getConnection(System.getProperty("flowline.test.db.url"),
                System.getProperty("flowline.test.db.user"), System.getProperty("flowline.test.db.password"))) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("SELECT 1 FROM workspaces WHERE id = '" + UUID.fromString(workspace) + "' FOR UPDATE");
            }
            java.util.concurrent.CompletableFuture<Answer> rename = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> api.send("PATCH", "workspaces/" + workspace, "application/json", "{\"name\":\"Held\"}", session));
            double held = 0;
            for (Instant until = Instant.now().plusSeconds(10); held < 1 && Instant.now().isBefore(until); ) {
                held = pool(metrics(), "flowline_db_pool_connections", "state=\"in_use\"");
                Thread.sleep(100);
            }
            assertThat(held).as("the blocked rename holds its connection").isGreaterThanOrEqualTo(1);
            lock.rollback();
            assertThat(rename.get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(200);
        }

        String after = metrics();
        double max = pool(after, "flowline_db_pool_max", null);
        double inUse = pool(after, "flowline_db_pool_connections", "state=\"in_use\"");
        double idle = pool(after, "flowline_db_pool_connections", "state=\"idle\"");
        assertThat(max).isEqualTo(32);
        assertThat(idle).as("the rename's connection is back in the pool").isBetween(1.0, max);
        assertThat(inUse).isBetween(0.0, max);
        assertThat(inUse + idle).isLessThanOrEqualTo(max);
        assertThat(pool(after, "flowline_db_pool_waiting", null)).isZero();
    }

    private String metrics() {
        Answer metrics = api.send(HttpRequest.newBuilder(TestServer.operations(api.uri("/")).resolve("/metrics"))
                .header("Accept", "text/plain").GET().build());
        assertThat(metrics.status()).isEqualTo(200);
        return metrics.body();
    }

    /**
     * The value of the one sample of {@code name} (with {@code tag}, if any) in the Prometheus text: on WildFly too,
     * where earlier test classes' deployments registered the same gauges.
     */
    private static double pool(String prometheus, String name, String tag) {
        List<String> samples = prometheus.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> tag == null || l.contains(tag)).toList();
        assertThat(samples).as(name + " " + tag).hasSize(1);
        String sample = samples.get(0);
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }

    @Test
    void theStartupSummarySaysWhatRunsWithoutSecrets() {
        String summary = api.get("test-support/log/startup-summary", null).json().getString("summary");

        assertThat(summary).startsWith("Flowline 0.1.0-SNAPSHOT started")
                .contains("database:", System.getProperty("flowline.test.db.url") + " as postgres")
                .doesNotContain("not reached")
                .contains(TestServer.isWildFly() ? "metrics at /metrics on WildFly's management interface"
                        : "metrics at /metrics)")
                .containsPattern("development: +ON")
                .containsPattern("engine: +off on this instance")
                .containsPattern("scheduler: +off on this instance")
                .containsPattern("mail: +SMTP 127\\.0\\.0\\.1:" + System.getProperty("flowline.test.smtp.port"))
                .contains("flowline.db.password", "flowline.engine.enabled", "flowline.encryption-keys")
                .doesNotContain(ENCRYPTION_KEY.substring(5, 20));
    }

    @Test
    void livenessDoesNotAskTheDatabaseAndReadinessDoes() {
        Answer live = api.send(HttpRequest.newBuilder(TestServer.operations(api.uri("/")).resolve("/health/live")).GET().build());
        Answer ready = api.send(HttpRequest.newBuilder(TestServer.operations(api.uri("/")).resolve("/health/ready")).GET().build());
        assertThat(live.status()).isEqualTo(200);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(live.body()).doesNotContain("database");
        assertThat(ready.body()).contains("database", "migrations");
    }

    @Test
    void whileTheDatabaseIsUnreachableCallsAnswer503WithRetryAfterAndReadinessIsDownUntilItIsBack() throws Exception {
        String session = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String workspace = api.get("workspaces", session).json().getJsonArray("items").getJsonObject(0).getString("id");
        String workflows = "workspaces/" + workspace + "/workflows";
        JsonObject webhook = api.post(workflows, "{\"name\":\"Outage\",\"definition\":{\"nodes\":["
                + "{\"id\":\"hook\",\"type\":\"trigger.webhook\",\"params\":{}},"
                + "{\"id\":\"set\",\"type\":\"data.set\",\"params\":{\"values\":{\"n\":1}}}],"
                + "\"edges\":[{\"from\":\"hook\",\"to\":\"set\"}]}}", session).json().getJsonObject("webhook");
        assertThat(api.get("me", session).status()).isEqualTo(200); // the session is known before the outage

        try {
            // The embedded server stays up: the test database refuses new connections and loses its sessions, which
            // is what the pool sees of a stopped server (its pooled connections broken, no new one to be had).
            admin("ALTER DATABASE " + TestServicesListener.databaseName() + " WITH ALLOW_CONNECTIONS false",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                            + TestServicesListener.databaseName() + "' AND pid <> pg_backend_pid()");

            assertThat(health("live").status()).as("liveness does not depend on the database").isEqualTo(200);
            Answer ready = health("ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).contains("database", "DOWN");
            assertServiceUnavailable(() -> api.get("me", session));
            assertServiceUnavailable(() -> api.get(workflows, session));
            assertServiceUnavailable(() -> api.post(workflows, "{\"name\":\"During\"}", session));
            assertServiceUnavailable(() -> deliver(webhook, "outage-during"));
            assertServiceUnavailable(() -> api.get("me", session)); // again, now that the outage is known
        } finally {
            admin("ALTER DATABASE " + TestServicesListener.databaseName() + " WITH ALLOW_CONNECTIONS true");
        }

        Instant back = Instant.now();
        while (health("ready").status() != 200) {
            assertThat(Duration.between(back, Instant.now())).as("readiness UP again within seconds")
                    .isLessThan(Duration.ofSeconds(10));
            Thread.sleep(100);
        }
        assertThat(health("live").status()).isEqualTo(200);
        assertThat(api.get("me", session).status()).isEqualTo(200);
        assertThat(api.get(workflows, session).status()).isEqualTo(200);
        Answer delivered = deliver(webhook, "outage-after");
        assertThat(delivered.status()).as(delivered.toString()).isEqualTo(202);
    }

    /** A 503 problem+json of type service-unavailable with Retry-After, answered at once (nothing waits on the pool). */
    private static void assertServiceUnavailable(java.util.function.Supplier<Answer> call) {
        Instant sent = Instant.now();
        Answer answer = call.get();
        assertThat(Duration.between(sent, Instant.now())).as("answered without waiting on the pool")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
        assertThat(answer.header("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.problemType()).isEqualTo("service-unavailable");
    }

    private Answer deliver(JsonObject webhook, String deliveryId) {
        byte[] body = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        return api.send(HttpRequest.newBuilder(URI.create(webhook.getString("url")))
                .header("Content-Type", "application/json").header("X-Flowline-Timestamp", Long.toString(now))
                .header("X-Flowline-Signature", WebhookSignature.sign(webhook.getString("secret"), now, body))
                .header("X-Flowline-Delivery", deliveryId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private Answer health(String check) {
        return api.send(HttpRequest.newBuilder(TestServer.operations(api.uri("/")).resolve("/health/" + check)).GET().build());
    }

    /** Statements as the embedded server's superuser, from its maintenance database (the test database is refused). */
    private static void admin(String... statements) throws SQLException {
        try (Connection connection = TestServicesListener.maintenanceDataSource().getConnection();
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private Answer withRequestId(String method, String path, String session, String requestId) {
        Answer answer = api.send(api.request(path, session).header("X-Request-Id", requestId)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
        assertThat(answer.header("X-Request-Id")).contains(requestId);
        return answer;
    }

    private static String line(List<String> lines, String requestId) {
        List<String> found = lines.stream().filter(l -> l.endsWith("requestId=" + requestId)).toList();
        assertThat(found).as("log lines of " + requestId + " in\n" + String.join("\n", lines)).hasSize(1);
        return found.get(0);
    }

    /** Whether the Prometheus text has a sample of {@code name} with these tags (in any order) and a value above 0. */
    private static boolean series(String prometheus, String name, String route, String method, String status) {
        return prometheus.lines().filter(l -> l.startsWith(name + "{"))
                .filter(l -> l.contains("route=\"" + route + "\"") && l.contains("method=\"" + method + "\"")
                        && l.contains("status=\"" + status + "\""))
                .anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0);
    }
}
