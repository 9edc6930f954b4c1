package dev.flowline.platform.rest;

import dev.flowline.platform.security.OpaqueTokens;
import dev.flowline.testing.ApiClient.Answer;
import dev.flowline.testing.ApiOverHttp;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.Mailbox;
import dev.flowline.testing.Sql;
import dev.flowline.testing.TestServer;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import static dev.flowline.testing.Fixtures.newEmail;
import static dev.flowline.testing.Threads.concurrently;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's contract, table-driven over every endpoint, on the product WAR and the real PostgreSQL: bad input is a
 * 4xx problem and writes nothing, anonymous calls to protected endpoints are 401, every endpoint is in the OpenAPI
 * document, health checks the database, and no secret is stored in clear. New endpoints join {@link #ENDPOINTS}.
 */
class ApiContractIT extends ApiOverHttp {

    /**
     * One row per endpoint: method, path template as OpenAPI writes it (relative to /api/v1), whether it needs a
     * session, and a valid JSON body (null: none).
     */
    record Endpoint(String method, String template, boolean authenticated, String validBody) {
        boolean takesJson() {
            return validBody != null;
        }

        /** The template with a sample id for every path parameter. */
        String path() {
            return template.replace("{number}", "1").replaceAll("\\{[^}]+}", SAMPLE_ID.toString());
        }
    }

    static final UUID SAMPLE_ID = UUID.fromString("00000000-0000-4000-8000-000000000000");

    static final String WORKFLOW = "{\"name\":\"W\",\"definition\":{\"nodes\":[{\"id\":\"start\",\"type\":\"trigger.manual\","
            + "\"params\":{}}],\"edges\":[]}}";

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "auth/signup", false, "{\"email\":\"x@example.com\",\"password\":\"12345678\",\"name\":\"X\"}"),
            new Endpoint("POST", "auth/verify-email", true, "{\"token\":\"abc\"}"),
            new Endpoint("POST", "auth/verify-email/resend", true, null),
            new Endpoint("POST", "auth/login", false, "{\"email\":\"x@example.com\",\"password\":\"12345678\"}"),
            new Endpoint("POST", "auth/logout", true, null),
            new Endpoint("POST", "auth/password-reset/request", false, "{\"email\":\"x@example.com\"}"),
            new Endpoint("POST", "auth/password-reset/confirm", false, "{\"token\":\"abc\",\"newPassword\":\"12345678\"}"),
            new Endpoint("GET", "me", true, null),
            new Endpoint("PATCH", "me", true, "{\"name\":\"X\"}"),
            new Endpoint("GET", "me/settings", true, null),
            new Endpoint("PATCH", "me/settings", true, "{\"theme\":\"dark\"}"),
            new Endpoint("POST", "me/password", true, "{\"currentPassword\":\"x\",\"newPassword\":\"12345678\"}"),
            new Endpoint("GET", "me/invitations", true, null),
            new Endpoint("POST", "support/issues", true, "{\"text\":\"broken\"}"),
            new Endpoint("GET", "support/issues/{id}", true, null),
            new Endpoint("POST", "workspaces", true, "{\"name\":\"W\"}"),
            new Endpoint("GET", "workspaces", true, null),
            new Endpoint("GET", "workspaces/{id}", true, null),
            new Endpoint("PATCH", "workspaces/{id}", true, "{\"name\":\"W\"}"),
            new Endpoint("DELETE", "workspaces/{id}", true, null),
            new Endpoint("POST", "workspaces/{id}/transfer-ownership", true, "{\"newOwnerId\":\"" + SAMPLE_ID + "\"}"),
            new Endpoint("POST", "workspaces/{id}/leave", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/ownership-offer", true, "{\"userId\":\"" + SAMPLE_ID + "\"}"),
            new Endpoint("GET", "workspaces/{workspaceId}/ownership-offer", true, null),
            new Endpoint("DELETE", "workspaces/{workspaceId}/ownership-offer", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/ownership-offer/accept", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/ownership-offer/decline", true, null),
            new Endpoint("GET", "me/ownership-offers", true, null),
            new Endpoint("GET", "workspaces/{id}/usage", true, null),
            new Endpoint("GET", "workspaces/{workspaceId}/members", true, null),
            new Endpoint("PATCH", "workspaces/{workspaceId}/members/{userId}", true, "{\"role\":\"VIEWER\"}"),
            new Endpoint("DELETE", "workspaces/{workspaceId}/members/{userId}", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/invitations", true, "{\"email\":\"x@example.com\",\"role\":\"MEMBER\"}"),
            new Endpoint("GET", "workspaces/{workspaceId}/invitations", true, null),
            new Endpoint("DELETE", "workspaces/{workspaceId}/invitations/{invitationId}", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/invitations/{invitationId}/resend", true, null),
            new Endpoint("POST", "invitations/accept", true, "{\"token\":\"abc\"}"),
            new Endpoint("POST", "invitations/decline", false, "{\"token\":\"abc\"}"),
            new Endpoint("PUT", "admin/workspaces/{id}/plan", true, "{\"tier\":\"SOLO\"}"),
            new Endpoint("GET", "admin/workspaces/{workspaceId}/audit", true, null),
            new Endpoint("GET", "workspaces/{workspaceId}/audit", true, null),
            new Endpoint("GET", "me/audit", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/workflows", true, WORKFLOW),
            new Endpoint("GET", "workspaces/{workspaceId}/workflows", true, null),
            new Endpoint("GET", "workspaces/{workspaceId}/workflows/{id}", true, null),
            new Endpoint("PUT", "workspaces/{workspaceId}/workflows/{id}", true, WORKFLOW),
            new Endpoint("DELETE", "workspaces/{workspaceId}/workflows/{id}", true, null),
            new Endpoint("GET", "workspaces/{workspaceId}/workflows/{id}/versions", true, null),
            new Endpoint("GET", "workspaces/{workspaceId}/workflows/{id}/versions/{number}", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/workflows/{id}/versions/{number}/restore", true, null),
            new Endpoint("GET", "workspaces/{workspaceId}/workflows/{id}/schedule", true, null),
            new Endpoint("PUT", "workspaces/{workspaceId}/workflows/{id}/schedule", true, "{\"cron\":\"0 9 * * 1-5\",\"timezone\":\"Europe/Berlin\"}"),
            new Endpoint("DELETE", "workspaces/{workspaceId}/workflows/{id}/schedule", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/workflows/{id}/schedule/pause", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/workflows/{id}/schedule/resume", true, null),
            new Endpoint("GET", "workspaces/{workspaceId}/workflows/{id}/webhook", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/workflows/{id}/webhook/rotate", true, null),
            new Endpoint("GET", "workspaces/{workspaceId}/workflows/{id}/webhook/deliveries", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/workflows/{id}/runs", true, "{\"input\":{\"a\":1}}"),
            new Endpoint("GET", "workspaces/{workspaceId}/workflows/{id}/runs", true, null),
            new Endpoint("GET", "workspaces/{workspaceId}/runs", true, null),
            new Endpoint("GET", "workspaces/{workspaceId}/runs/{runId}", true, null),
            new Endpoint("GET", "workspaces/{workspaceId}/runs/{runId}/steps", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/runs/{runId}/cancel", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/runs/{runId}/rerun", true, null),
            new Endpoint("GET", "workspaces/{workspaceId}/dead-letters", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/dead-letters/{id}/requeue", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/dead-letters/requeue", true, "{\"ids\":[\"" + SAMPLE_ID + "\"]}"),
            new Endpoint("DELETE", "workspaces/{workspaceId}/dead-letters/{id}", true, null),
            new Endpoint("GET", "connections/providers", true, null),
            new Endpoint("GET", "connections/{provider}/authorize", true, null),
            new Endpoint("GET", "connections/{provider}/callback", false, null),
            new Endpoint("GET", "me/connections", true, null),
            new Endpoint("DELETE", "me/connections/{connectionId}", true, null),
            new Endpoint("GET", "workspaces/{workspaceId}/connections", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/connections", true, "{\"connectionId\":\"" + SAMPLE_ID + "\"}"),
            new Endpoint("DELETE", "workspaces/{workspaceId}/connections/{connectionId}", true, null),
            new Endpoint("POST", "me/credentials", true, "{\"name\":\"K\",\"kind\":\"bearer\","
                    + "\"origins\":[\"https://api.example.com\"],\"secret\":{\"token\":\"t\"}}"),
            new Endpoint("GET", "me/credentials", true, null),
            new Endpoint("GET", "me/credentials/{credentialId}", true, null),
            new Endpoint("PATCH", "me/credentials/{credentialId}", true, "{\"name\":\"K\"}"),
            new Endpoint("DELETE", "me/credentials/{credentialId}", true, null),
            new Endpoint("GET", "workspaces/{workspaceId}/credentials", true, null),
            new Endpoint("POST", "workspaces/{workspaceId}/credentials", true, "{\"credentialId\":\"" + SAMPLE_ID + "\"}"),
            new Endpoint("DELETE", "workspaces/{workspaceId}/credentials/{credentialId}", true, null),
            new Endpoint("POST", "hooks/{webhookId}", false, null),
            new Endpoint("POST", "hooks/resume/{runId}/{nodeId}/{signature}", false, null),
            new Endpoint("GET", "billing", true, null),
            new Endpoint("POST", "billing/checkout", true, "{\"workspaceId\":\"" + SAMPLE_ID + "\",\"plan\":\"PRO\"}"),
            new Endpoint("POST", "billing/portal", true, null),
            new Endpoint("POST", "billing/stripe/webhook", false, null));

    /** The bad bodies that are not JSON objects: the only ones a merge patch of free-form settings refuses. */
    static final Set<String> NOT_AN_OBJECT = Set.of("truncated JSON", "not JSON", "empty body", "JSON null");

    /** Bodies every JSON endpoint must refuse with a 4xx problem. */
    static final Map<String, String> BAD_BODIES = badBodies();

    private static Map<String, String> badBodies() {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("truncated JSON", "{\"email\":");
        bodies.put("not JSON", "hello");
        bodies.put("empty body", "");
        bodies.put("JSON null", "null");
        bodies.put("empty object", "{}");
        bodies.put("unknown property", "{\"unexpected\":true}");
        bodies.put("object where a string belongs", "{\"email\":{},\"token\":{},\"name\":{},\"text\":{},\"password\":{},"
                + "\"currentPassword\":{},\"newPassword\":{},\"role\":{},\"tier\":{},\"newOwnerId\":{}}");
        bodies.put("unknown enum value", "{\"role\":\"EMPEROR\",\"tier\":\"PLATINUM\",\"email\":\"x@example.com\",\"name\":\"X\"}");
        bodies.put("malformed id", "{\"newOwnerId\":\"not-a-uuid\"}");
        String tooLong = "y".repeat(300); // over every string limit but the issue text's
        bodies.put("over-long strings", "{\"email\":\"" + tooLong + "@example.com\",\"token\":\"" + tooLong
                + "\",\"name\":\"" + tooLong + "\",\"text\":\"" + "t".repeat(10_001) + "\",\"password\":\"" + tooLong
                + "\",\"currentPassword\":\"" + tooLong + "\",\"newPassword\":\"" + tooLong + "\"}");
        return bodies;
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.product();
    }

    @Test
    void badInputOnEveryEndpointIsA4xxProblemAndWritesNothing() throws SQLException {
        String token = api.signupAndLogin(newEmail(), PASSWORD);
        Map<String, Long> before = rowCounts();
        List<String> failures = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS.stream().filter(Endpoint::takesJson).toList()) {
            String contentType = endpoint.path().equals("me/settings") ? "application/merge-patch+json" : "application/json";
            for (Map.Entry<String, String> bad : BAD_BODIES.entrySet()) {
                if (endpoint.path().equals("me/settings") && !NOT_AN_OBJECT.contains(bad.getKey())) {
                    continue; // any JSON object is a valid merge patch of free-form settings
                }
                Answer answer = api.send(endpoint.method(), endpoint.path(), contentType, bad.getValue(), token);
                checkProblem(failures, endpoint + " with " + bad.getKey(), answer, 400, 499);
            }
            String huge = "{\"text\":\"" + "z".repeat(70_000) + "\"}";
            checkProblem(failures, endpoint + " over the size limit",
                    api.send(endpoint.method(), endpoint.path(), contentType, huge, token), 413, 413);
            // no endpoint takes any media type: a text/plain body (what a cross-site form can send) is refused
            checkProblem(failures, endpoint + " as text/plain",
                    api.send(endpoint.method(), endpoint.path(), "text/plain", endpoint.validBody(), token), 415, 415);
        }
        assertThat(failures).isEmpty();
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void everyProtectedEndpointAnswers401ProblemToAnonymousCallers() {
        List<String> failures = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS.stream().filter(Endpoint::authenticated).toList()) {
            Answer answer = api.send(endpoint.method(), endpoint.path(),
                    endpoint.takesJson() ? "application/json" : null, endpoint.validBody(), null);
            checkProblem(failures, endpoint + " anonymously", answer, 401, 401);
            if (answer.header("WWW-Authenticate").isEmpty()) {
                failures.add(endpoint + " anonymously: no WWW-Authenticate header");
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        Answer unknown = api.get("no-such-thing", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        Answer wrongMethod = api.send("DELETE", "auth/signup", null, null, null);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.contentType()).startsWith("application/problem+json");
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheEndpointsOfTheTable() {
        Answer document = api.send(HttpRequest.newBuilder(serverRoot().resolve("/openapi"))
                .header("Accept", "application/json").GET().build());
        assertThat(document.status()).isEqualTo(200);
        JsonObject paths = document.json().getJsonObject("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, item) -> item.asJsonObject().keySet()
                .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.substring(path.indexOf("/api/v1/") + "/api/v1/".length()))));
        Set<String> table = ENDPOINTS.stream().map(e -> e.method() + " " + e.template()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented).isEqualTo(table);
        assertThat(document.json().getJsonArray("tags")).anySatisfy(tag -> {
            assertThat(tag.asJsonObject().getString("name")).isEqualTo("Workflows");
            assertThat(tag.asJsonObject().getString("description")).contains("http.request", "logic.condition", "flow.delay");
        });
    }

    @Test
    void readinessChecksTheDatabaseAndMigrationsAndLivenessNeither() {
        Answer health = api.send(HttpRequest.newBuilder(TestServer.operations(serverRoot()).resolve("/health")).GET().build());
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().getString("status")).isEqualTo("UP");
        assertThat(health.body()).contains("\"database\"");
        Answer ready = api.send(HttpRequest.newBuilder(TestServer.operations(serverRoot()).resolve("/health/ready")).GET().build());
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).contains("\"database\"", "\"migrations\"");
        Answer live = api.send(HttpRequest.newBuilder(TestServer.operations(serverRoot()).resolve("/health/live")).GET().build());
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body()).as("a database outage must not restart every instance").contains("\"application\"")
                .doesNotContain("\"database\"");
    }

    @Test
    void noPasswordSessionOrEmailTokenIsStoredInClear() throws SQLException {
        String email = newEmail();
        String session = api.signupAndLogin(email, PASSWORD);
        String verificationToken = Mailbox.token(email, "Confirm your email", 1);
        assertThat(api.post("auth/password-reset/request", "{\"email\":\"" + email + "\"}").status()).isEqualTo(202);
        String resetToken = Mailbox.token(email, "Reset your Flowline password", 1);
        String userId = api.get("me", session).json().getString("id");

        List<String> rows = new ArrayList<>();
        rows.addAll(Sql.column("SELECT row_to_json(t)::text FROM users t WHERE id = ?::uuid", userId));
        rows.addAll(Sql.column("SELECT row_to_json(t)::text FROM user_sessions t WHERE user_id = ?::uuid", userId));
        rows.addAll(Sql.column("SELECT row_to_json(t)::text FROM user_tokens t WHERE user_id = ?::uuid", userId));
        assertThat(rows).hasSize(4); // the user, one session, two tokens
        for (String secret : List.of(PASSWORD, session, verificationToken, resetToken)) {
            assertThat(rows).noneSatisfy(row -> assertThat(row).contains(secret));
        }
        assertThat(Sql.column("SELECT password_hash FROM users WHERE id = ?::uuid", userId).get(0))
                .startsWith("PBKDF2WithHmacSHA256:600000:");
        assertThat(Sql.column("SELECT token_hash FROM user_sessions WHERE user_id = ?::uuid", userId))
                .containsExactly(OpaqueTokens.hash(session));
        assertThat(Sql.column("SELECT token_hash FROM user_tokens WHERE user_id = ?::uuid ORDER BY created_at", userId))
                .containsExactlyInAnyOrder(OpaqueTokens.hash(verificationToken), OpaqueTokens.hash(resetToken));
    }

    @Test
    void concurrentSignupsWithOneEmailCreateOneAccount() throws Exception {
        String email = newEmail();
        List<Callable<Integer>> signups = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String variant = i % 2 == 0 ? email : email.toUpperCase(Locale.ROOT);
            signups.add(() -> api.post("auth/signup", "{\"email\":\"" + variant + "\",\"password\":\"" + PASSWORD
                    + "\",\"name\":\"Racer\"}").status());
        }
        List<Integer> statuses = concurrently(signups);
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(Sql.column("SELECT count(*)::text FROM users WHERE lower(email) = lower(?)", email)).containsExactly("1");
    }

    private static void checkProblem(List<String> failures, String what, Answer answer, int minStatus, int maxStatus) {
        if (answer.status() < minStatus || answer.status() > maxStatus) {
            failures.add(what + ": status " + answer);
            return;
        }
        if (!answer.contentType().startsWith("application/problem+json")) {
            failures.add(what + ": content type " + answer.contentType() + " " + answer.body());
            return;
        }
        JsonObject problem = answer.json();
        if (problem.getInt("status", -1) != answer.status() || !problem.containsKey("title") || !problem.containsKey("type")) {
            failures.add(what + ": not a problem document " + answer.body());
        }
    }

    private URI serverRoot() {
        return URI.create(deploymentUrl.toString()).resolve("/");
    }

    private static Map<String, Long> rowCounts() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : List.of("users", "user_tokens", "user_sessions", "support_issues", "workspaces",
                "workspace_members", "workspace_invitations", "workspace_ownership_offers", "workspace_run_usage",
                "workspace_billing_cycles", "workflows", "workflow_versions", "workflow_runs", "dead_letters", "workflow_schedules",
                "workflow_webhooks", "webhook_deliveries", "user_credentials", "workspace_credentials")) {
            counts.put(table, (Long) Sql.row("SELECT count(*) FROM " + table).get(0));
        }
        return counts;
    }
}
