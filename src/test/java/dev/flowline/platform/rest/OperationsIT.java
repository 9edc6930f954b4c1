package dev.flowline.platform.rest;

import dev.flowline.testing.ApiClient.Answer;
import dev.flowline.testing.ApiOverHttp;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.TestLogResource;
import dev.flowline.testing.TestServer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;

import static dev.flowline.testing.Fixtures.newEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators get (issue 12): one request log line per request with its route template (never the raw path),
 * status, duration and request id; HTTP metrics by route template, method and status class at {@code /metrics};
 * a start-up summary without secrets; health split into liveness and readiness.
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
