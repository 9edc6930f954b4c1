package dev.flowline.platform.rest;

import dev.flowline.testing.ApiClient.Answer;
import dev.flowline.testing.ApiOverHttp;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.Sql;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.flowline.testing.Fixtures.newEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep of issue 9 as a test: every operation of the served OpenAPI document (so operations added later are
 * covered without edits) gets malformed bodies, wrong types for each property, U+0000 and huge strings, numbers and
 * instants PostgreSQL cannot store, bad charsets and junk path, query and header values, with a signed-in user's
 * session (so workspace-scoped operations get past authorisation to validation, on real ids) and without one.
 * <p>
 * It asserts that nothing answers 5xx, that every 4xx is a parseable problem+json document, and that the database is
 * unchanged. Operations that change data (every method but GET) only get input that must be refused, and must refuse
 * it; input that may legitimately be accepted (junk in query parameters, unknown headers) goes to GETs only.
 */
class OpenApiSweepIT extends ApiOverHttp {

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final String JSON = "application/json";
    private static final String NUL = "a\u0000b";
    private static final String HUGE = "h".repeat(20_000);

    /** Values for a path parameter that must never name a real resource. */
    private static final List<String> JUNK_IDS = List.of("not-a-uuid", "00000000-0000-0000-0000-000000000000",
            "1-2-3-4-5", "99999999999999999999", "x".repeat(600), "%C3%A9%E2%9C%93", "..%2F..%2Fme", "%20", "null");
    private static final List<String> JUNK_NUMBERS = List.of("0", "-1", "2147483648", "1e3", "x", "99999999999999999999");

    /** Values for query parameters: wrong types, far instants, forged cursors, NUL, long strings. */
    private static final List<String> JUNK_QUERY_VALUES = List.of("", "x", "-1", "0", "2147483648", "1e400", "1.5",
            "true", NUL, "y".repeat(2_000), "\u00e9\u2713", "+10000-01-01T00:00:00Z", "-4714-11-24T00:00:00Z",
            "0000-01-01T00:00:00Z", "2026-13-45T99:99:99Z", cursor("9223372036854775807:" + UUID.randomUUID()),
            cursor("-9223372036854775808:" + UUID.randomUUID()), cursor("1:1-2-3-4-5"), cursor("x:y"), "%%%", "!!!",
            "QUEUED,EMPEROR", ",,,");

    /** Values for declared header parameters. */
    private static final List<String> JUNK_HEADER_VALUES = List.of("", "x", "\"x\"", "W/\"x\"", "W/", "\"\"",
            "99999999999999999999", "-1", "z".repeat(4_000), "wait=99999999999999999999", "sha256=zz");

    private static final List<String> MALFORMED_BODIES = List.of("{", "hello", "[1,", "{\"a\":1} trailing",
            "{}{}", "{} {\"b\":2}", "\"text\" 1", "null", "[]", "[{}]", "123", "\"text\"", "{\"a\":1,}", "{'a':1}",
            "[".repeat(100) + "]".repeat(100), "{\"a\":".repeat(5_000), "{\"a\":\"\\ud800\"}", "{\"\\u0000\":1}",
            "{\"a\":1e1001}", "{\"a\":[1e-1001]}", "{\"a\":0." + "0".repeat(16_383) + "1}");

    @Deployment(testable = false)
    static WebArchive deployment() {
        // the jobs would change the database on their own time, and the engine would run the sweep's run
        return Deployments.shared(Deployments.withoutBackgroundJobs(Deployments.product()));
    }

    /** What a request of the sweep is: whether it must be refused, and the request itself. */
    record Probe(Operation operation, String what, boolean mustRefuse, HttpRequest request) {
        @Override
        public String toString() {
            return operation + " " + what;
        }
    }

    /** One operation of the OpenAPI document. */
    record Operation(String method, String template, JsonObject description, JsonObject document) {

        boolean changesData() {
            return !method.equals("GET");
        }

        /** Public operations hold only an empty requirement ({@code security: [{}]}); the others name a scheme. */
        boolean secured() {
            JsonValue security = description.containsKey("security") ? description.get("security")
                    : document.getOrDefault("security", JsonValue.EMPTY_JSON_ARRAY);
            return security.asJsonArray().stream().anyMatch(requirement -> !requirement.asJsonObject().isEmpty());
        }

        List<JsonObject> parameters(String in) {
            List<JsonObject> found = new ArrayList<>();
            for (JsonValue parameter : description.getJsonArray("parameters") == null ? List.<JsonValue>of()
                    : description.getJsonArray("parameters")) {
                JsonObject resolved = resolve(document, parameter.asJsonObject());
                if (in.equals(resolved.getString("in", ""))) {
                    found.add(resolved);
                }
            }
            return found;
        }

        /** The JSON schema of the body, resolved; null when the operation takes no JSON body. */
        JsonObject jsonBody() {
            JsonObject content = description.containsKey("requestBody")
                    ? resolve(document, description.getJsonObject("requestBody")).getJsonObject("content") : null;
            if (content == null) {
                return null;
            }
            for (String type : content.keySet()) {
                if (type.contains("json")) {
                    return resolve(document, content.getJsonObject(type).getJsonObject("schema"));
                }
            }
            return null;
        }

        /** A JSON media type the operation reads. */
        String jsonMediaType() {
            JsonObject content = resolve(document, description.getJsonObject("requestBody")).getJsonObject("content");
            return content.keySet().stream().filter(t -> t.equals(JSON)).findFirst()
                    .orElse(content.keySet().stream().filter(t -> t.contains("json")).findFirst().orElseThrow());
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    private final Map<String, String> realIds = new LinkedHashMap<>();
    private String email;
    /** The session the probes were built with, and the one they are sent with (renewed if a probe ended it). */
    private String token;
    private String currentToken;

    @Test
    void noOperationAnswers5xxOrAnErrorThatIsNotAProblemAndRefusedInputWritesNothing() throws Exception {
        JsonObject document = openApiDocument();
        List<Operation> operations = operations(document);
        signUpWithAWorkspaceAWorkflowAndARun();

        List<Probe> probes = new ArrayList<>();
        for (Operation operation : operations) {
            probes.addAll(probes(operation));
        }
        Map<String, String> before = tableChecksums();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (Probe probe : probes) {
            Answer answer = api.send(withCurrentSession(probe.request()));
            statuses.merge(answer.status(), 1, Integer::sum);
            if (check(failures, probe, answer) && api.get("me", currentToken).status() == 401) {
                // a probe that should have been refused ended the session (a logout): sign in again, so that one
                // failure does not hide the rest behind 401s
                currentToken = api.login(email, PASSWORD);
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        Map<String, String> after = tableChecksums();
        Map<String, Long> kinds = new TreeMap<>();
        failures.forEach(f -> kinds.merge(f.substring(0, f.indexOf(']') + 1), 1L, Long::sum));
        System.out.printf("OpenApiSweepIT: %d operations, %d requests in %d s; statuses %s; %d failures %s%n",
                operations.size(), probes.size(), took.toSeconds(), statuses, failures.size(), kinds);
        failures.stream().limit(200).forEach(f -> System.out.println("  " + f));

        assertThat(operations).hasSizeGreaterThan(50);
        assertThat(failures).isEmpty();
        assertThat(after).as("every table, row for row").isEqualTo(before);
    }

    /**
     * What Grizzly answers before the request reaches the WAR: no filter, mapper or error page of ours sees these, so
     * they stay 400s with an empty body (see docs/api/errors.md). Checked here so that a change in the server shows up.
     */
    @Test
    void requestsRefusedBeforeTheyReachTheWarAre400sNot5xx() throws IOException {
        String context = URI.create(contextRoot()).getRawPath();
        String path = context + "api/v1/me";
        String host = "Host: localhost\r\nConnection: close\r\n";
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("NUL in the path", "GET " + context + "api/v1/workspaces/%00 HTTP/1.1\r\n" + host + "\r\n");
        raw.put("invalid UTF-8 in the path", "GET " + context + "api/v1/workspaces/%FF HTTP/1.1\r\n" + host + "\r\n");
        raw.put("header over 8 KiB", "GET " + path + " HTTP/1.1\r\n" + host + "X-Long: " + "a".repeat(20_000) + "\r\n\r\n");
        raw.put("control character in a header", "GET " + path + " HTTP/1.1\r\n" + host + "X-Junk: a\u0001b\r\n\r\n");
        raw.put("non-ASCII header value", "GET " + path + " HTTP/1.1\r\n" + host + "X-Junk: \u00ff\u00e9\r\n\r\n");
        // a body on GET or DELETE reaches the WAR since the listener allows it (RequestErrorsIT)
        for (Map.Entry<String, String> request : raw.entrySet()) {
            assertThat(statusOfRawRequest(request.getValue())).as(request.getKey()).isEqualTo(400);
        }
    }

    /** The refusals docs/api/errors.md promises, one by one, with the field each names. */
    @Test
    void refusalsNameTheFieldAndPathsOutsideTheApiAreProblemNotFound() {
        String session = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String workspace = api.post("workspaces", "{\"name\":\"Refusals\"}", session).json().getString("id");

        assertRefused(api.post("auth/login", "{\"email\":\"a\\u0000@example.com\",\"password\":\"x\"}"), 400, "email");
        assertRefused(api.post("auth/password-reset/request", "[{\"email\":\"x@example.com\"}]"), 400, "body");
        assertRefused(api.send("PATCH", "me", JSON, "{\"name\":\"Ann\"} trailing", session), 400, null);
        assertThat(api.send("PATCH", "me", JSON, "{\"name\":\"Ann\"} trailing", session).problemType())
                .isEqualTo("malformed-body");
        assertRefused(api.send("PATCH", "me/settings", "application/merge-patch+json",
                "{\"theme\":{\"n\":1e1001}}", session), 400, "theme.n");
        assertRefused(api.get("workspaces/" + workspace + "/runs?from=" + encode("+10000-01-01T00:00:00Z"), session),
                400, "from");
        assertRefused(api.get("workspaces?cursor=" + cursor("9223372036854775807:" + UUID.randomUUID()), session),
                400, "cursor");
        assertRefused(api.get("me?q=" + encode(NUL), session), 400, "q");
        assertRefused(api.send("PATCH", "me", "application/json; charset=foo", "{}", session), 415, null);
        assertRefused(api.send("PATCH", "me", "application/json; charset=iso-8859-1", "{}", session), 415, null);
        assertThat(api.send("PATCH", "me", "application/json; charset=UTF8", "{\"name\":\"Ann\"}", session).status())
                .as("an alias of UTF-8").isEqualTo(200);

        for (String outside : List.of("api/v1/..%2F..%2Fx", "no-such-page", "WEB-INF/web.xml")) {
            Answer answer = api.send(HttpRequest.newBuilder(URI.create(contextRoot() + outside))
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(answer.status()).as(outside).isEqualTo(404);
            assertThat(answer.contentType()).as(outside).startsWith("application/problem+json");
            assertThat(answer.problemType()).isEqualTo("not-found");
        }
    }

    /** The webhook body decision of docs/api/errors.md, on a signed delivery each time. */
    @Test
    void signedWebhookBodiesBecomeInputsOrAreRefusedAsTheReadmeSays() {
        String session = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String workspace = api.post("workspaces", "{\"name\":\"Hooks\"}", session).json().getString("id");
        Answer workflow = api.post("workspaces/" + workspace + "/workflows", "{\"name\":\"Hooked\",\"definition\":"
                + "{\"nodes\":[{\"id\":\"start\",\"type\":\"trigger.webhook\",\"params\":{}}],\"edges\":[]}}", session);
        assertThat(workflow.status()).as(workflow.toString()).isEqualTo(201);
        JsonObject webhook = workflow.json().getJsonObject("webhook");
        String url = webhook.getString("url");
        String secret = webhook.getString("secret");

        assertThat(inputOf(workspace, session, deliver(url, secret, JSON, new byte[0], 202))).isEqualTo("{}");
        assertThat(inputOf(workspace, session, deliver(url, secret, null, new byte[0], 202))).isEqualTo("{}");
        assertThat(inputOf(workspace, session, deliver(url, secret, JSON, utf8("[1,\"x\"]"), 202)))
                .isEqualTo("{\"body\":[1,\"x\"]}");
        assertThat(inputOf(workspace, session, deliver(url, secret, "application/x-www-form-urlencoded",
                utf8("a=1&a=2&b=%C3%A9"), 202))).isEqualTo("{\"a\":[\"1\",\"2\"],\"b\":\"\u00e9\"}");
        deliver(url, secret, "text/plain", utf8("hello"), 415);
        deliver(url, secret, null, utf8("hello"), 415);
        deliver(url, secret, JSON, utf8("hello"), 400);
        deliver(url, secret, JSON, utf8("{\"a\":1} trailing"), 400);
        deliver(url, secret, JSON, new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'}, 400);
        deliver(url, secret, JSON, utf8("{\"a\":\"\\u0000\"}"), 400);
        deliver(url, secret, "application/x-www-form-urlencoded", utf8("a=%00"), 400);
        deliver(url, secret, "application/x-www-form-urlencoded", new byte[]{'a', '=', (byte) 0xFF}, 400);
    }

    private Answer deliver(String url, String secret, String contentType, byte[] body, int expectedStatus) {
        long now = java.time.Instant.now().getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("X-Flowline-Timestamp", Long.toString(now))
                .header("X-Flowline-Signature", dev.flowline.workflows.WebhookSignature.sign(secret, now, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        Answer answer = api.send(request.build());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(expectedStatus);
        if (expectedStatus >= 400) {
            assertThat(problemFault(answer)).isNull();
        }
        return answer;
    }

    private String inputOf(String workspace, String session, Answer delivered) {
        return api.get("workspaces/" + workspace + "/runs/" + delivered.json().getString("runId"), session).json()
                .getJsonObject("input").toString();
    }

    private static void assertRefused(Answer answer, int status, String field) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(problemFault(answer)).as(answer.toString()).isNull();
        if (field != null) {
            assertThat(answer.json().getJsonArray("errors")).as(answer.toString())
                    .anySatisfy(error -> assertThat(error.asJsonObject().getString("field")).isEqualTo(field));
        }
    }

    private int statusOfRawRequest(String request) throws IOException {
        try (Socket socket = new Socket(deploymentUrl.getHost(), deploymentUrl.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                statusLine.append((char) c);
            }
            String[] parts = statusLine.toString().split(" ");
            return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        }
    }

    private HttpRequest withCurrentSession(HttpRequest request) {
        if (currentToken.equals(token)
                || !request.headers().firstValue("Authorization").orElse("").equals("Bearer " + token)) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> true)
                .setHeader("Authorization", "Bearer " + currentToken).build();
    }

    /** Adds what is wrong with the answer to {@code failures}; answers whether a probe that must be refused was not. */
    private boolean check(List<String> failures, Probe probe, Answer answer) {
        int status = answer.status();
        if (status >= 500) {
            failures.add("[5xx] " + probe + ": " + status + " " + clip(answer.body()));
            return false;
        }
        if (probe.mustRefuse() && status < 400) {
            failures.add("[accepted] " + probe + ": " + status + " " + clip(answer.body()));
            return true;
        }
        if (status >= 400) {
            String problem = problemFault(answer);
            if (problem != null) {
                failures.add("[not a problem] " + probe + ": " + status + " " + problem);
            }
        }
        return false;
    }

    /** Null when the answer is a problem document of its own status; else what is wrong with it. */
    private static String problemFault(Answer answer) {
        if (!answer.contentType().startsWith("application/problem+json")) {
            return "content type '" + answer.contentType() + "': " + clip(answer.body());
        }
        if (answer.body().isEmpty()) {
            return "empty body";
        }
        try (JsonReader reader = Json.createReader(new StringReader(answer.body()))) {
            JsonObject problem = reader.readObject();
            if (problem.getInt("status", -1) != answer.status() || !problem.containsKey("title")
                    || !problem.containsKey("type")) {
                return "not a problem document: " + clip(answer.body());
            }
        } catch (RuntimeException e) {
            return "unparseable body: " + clip(answer.body());
        }
        return null;
    }

    // ---- the probes

    private List<Probe> probes(Operation operation) {
        List<Probe> probes = new ArrayList<>();
        String path = path(operation, Map.of());
        JsonObject body = operation.jsonBody();
        String sessionToken = operation.secured() ? token : null;

        if (body != null) {
            String type = operation.jsonMediaType();
            for (String bad : MALFORMED_BODIES) {
                probes.add(probe(operation, "body " + clip(bad), true, path, type, utf8(bad), sessionToken));
            }
            for (Map.Entry<String, String> bad : badValueBodies(operation.document(), body).entrySet()) {
                probes.add(probe(operation, bad.getKey(), true, path, type, utf8(bad.getValue()), sessionToken));
            }
            probes.add(probe(operation, "invalid UTF-8", true, path, type,
                    new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '(', '"', '}'}, sessionToken));
            probes.add(probe(operation, "Latin-1 bytes", true, path, type,
                    "{\"a\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1), sessionToken));
            probes.add(probe(operation, "over the size limit", true, path, type,
                    utf8("{\"a\":\"" + "z".repeat(70_000) + "\"}"), sessionToken));
            probes.add(probe(operation, "anonymous, malformed", true, path, type, utf8("{"), null));
        }
        // content types: unknown charsets, not UTF-8 for JSON, unparseable. A body on GET and DELETE is refused
        // as such (RequestErrorsIT), so those get a header without a body.
        boolean bodyAllowed = Set.of("POST", "PUT", "PATCH").contains(operation.method());
        List<String> contentTypes = new ArrayList<>(List.of("application/json; charset=foo",
                "application/json; charset=iso-8859-1", "text/plain; charset=x-unknown", "application/json; charset=\"",
                ";;;"));
        if (body != null) {
            // an operation without a body may rightly ignore one it does not read: these only go where one is read
            contentTypes.addAll(List.of("application/", "*/*", "text/plain", "application/xml"));
        }
        for (String contentType : contentTypes) {
            probes.add(probe(operation, "Content-Type " + contentType, true, path, contentType,
                    bodyAllowed ? utf8("{\"a\"") : null, sessionToken));
        }
        // U+0000 in a query parameter (a name, and a value) is refused on every operation
        probes.add(probe(operation, "NUL query value", true, path + "?q=" + encode(NUL), null, null, sessionToken));
        probes.add(probe(operation, "NUL query name", true, path + "?" + encode(NUL) + "=1", null, null, sessionToken));

        // path parameters: each one junk in turn, the others real
        for (JsonObject parameter : operation.parameters("path")) {
            String name = parameter.getString("name");
            boolean number = "integer".equals(schemaType(parameter.getJsonObject("schema")));
            for (String junk : number ? JUNK_NUMBERS : JUNK_IDS) {
                String junkPath = path(operation, Map.of(name, junk));
                probes.add(probe(operation, name + "=" + clip(junk), true, junkPath,
                        body == null ? null : JSON, body == null ? null : utf8("{\"a\":1}"), sessionToken));
                if (!operation.changesData()) {
                    probes.add(probe(operation, name + "=" + clip(junk) + " anonymously", true, junkPath, null, null, null));
                }
            }
        }

        if (operation.secured()) {
            probes.add(probe(operation, "anonymous", true, path, null, null, null));
            for (String authorization : List.of("Bearer ", "Bearer x", "Bearer " + "t".repeat(4_000), "Basic eDp5",
                    "bearer " + token.toUpperCase(Locale.ROOT), token)) {
                HttpRequest.Builder request = request(path, null).header("Authorization", authorization);
                probes.add(new Probe(operation, "Authorization " + clip(authorization), true,
                        request.method(operation.method(), HttpRequest.BodyPublishers.noBody()).build()));
            }
            HttpRequest.Builder cookie = request(path, null).header("Cookie", "flowline_session=" + "c".repeat(3_000));
            probes.add(new Probe(operation, "junk session cookie", true,
                    cookie.method(operation.method(), HttpRequest.BodyPublishers.noBody()).build()));
        }

        // declared headers: junk values; on operations that change data together with a body that must be refused
        for (JsonObject parameter : operation.parameters("header")) {
            String name = parameter.getString("name");
            if (Set.of("content-type", "authorization", "cookie").contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (String junk : JUNK_HEADER_VALUES) {
                HttpRequest.Builder request = request(operation.changesData() ? path(operation, junkEveryId(operation)) : path,
                        sessionToken).header(name, junk);
                byte[] sent = operation.changesData() && bodyAllowed ? utf8("{") : null;
                if (sent != null) {
                    request.header("Content-Type", JSON);
                }
                probes.add(new Probe(operation, "header " + name + "=" + clip(junk), operation.changesData(),
                        request.method(operation.method(), sent == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(sent)).build()));
            }
        }

        if (!operation.changesData()) {
            // input a GET may accept: junk in each declared query parameter, unknown parameters and headers
            for (JsonObject parameter : operation.parameters("query")) {
                String name = parameter.getString("name");
                for (String junk : JUNK_QUERY_VALUES) {
                    probes.add(probe(operation, name + "=" + clip(junk), false, path + "?" + name + "=" + encode(junk),
                            null, null, sessionToken));
                }
                probes.add(probe(operation, name + " twice", false, path + "?" + name + "=1&" + name + "=2",
                        null, null, sessionToken));
            }
            probes.add(probe(operation, "unknown query parameter", false,
                    path + "?junk=" + encode("y".repeat(1_000)) + "&" + encode("\u00e9") + "=" + encode("\u2713"),
                    null, null, sessionToken));
            for (Map.Entry<String, String> header : Map.of("Accept", "text/html", "X-Junk", "q".repeat(4_000),
                    "If-None-Match", "\"x\"", "Accept-Charset", "x-unknown", "Accept-Language", "zz-ZZ;q=x",
                    "Range", "bytes=abc").entrySet()) {
                HttpRequest.Builder request = request(path, sessionToken);
                request.setHeader(header.getKey(), header.getValue());
                probes.add(new Probe(operation, "header " + header.getKey() + "=" + clip(header.getValue()), false,
                        request.GET().build()));
            }
            for (String accept : List.of(";;;", "application/json;q=x", "*/*;q=0")) {
                HttpRequest.Builder request = request(path, sessionToken);
                request.setHeader("Accept", accept);
                probes.add(new Probe(operation, "Accept " + accept, false, request.GET().build()));
            }
        }
        return probes;
    }

    /** Bodies that break each property in turn (wrong types), and all of them at once (NUL, huge, unstorable). */
    private static Map<String, String> badValueBodies(JsonObject document, JsonObject schema) {
        Map<String, String> bodies = new LinkedHashMap<>();
        JsonObject properties = schema.getJsonObject("properties");
        if (properties == null || properties.isEmpty()) {
            bodies.put("NUL value", "{\"a\":\"" + "a\\u0000b" + "\"}");
            bodies.put("huge value", "{\"a\":\"" + HUGE + "\"}");
            return bodies;
        }
        StringBuilder nul = new StringBuilder("{");
        StringBuilder huge = new StringBuilder("{");
        StringBuilder numbers = new StringBuilder("{");
        StringBuilder deep = new StringBuilder("{");
        for (String property : properties.keySet()) {
            JsonObject propertySchema = resolve(document, properties.getJsonObject(property));
            String type = schemaType(propertySchema);
            for (String wrong : wrongValues(type)) {
                bodies.put(property + "=" + wrong, "{\"" + property + "\":" + wrong + "}");
            }
            String separator = nul.length() > 1 ? "," : "";
            nul.append(separator).append('"').append(property).append("\":")
                    .append(type.equals("object") ? "{\"k\":\"a\\u0000b\"}" : type.equals("array") ? "[\"a\\u0000b\"]" : "\"a\\u0000b\"");
            huge.append(separator).append('"').append(property).append("\":\"").append("h".repeat(3_000)).append('"');
            numbers.append(separator).append('"').append(property).append("\":")
                    .append(type.equals("object") ? "{\"n\":1e1001}" : type.equals("array") ? "[1e1001]" : "1e1001");
            deep.append(separator).append('"').append(property).append("\":")
                    .append("[".repeat(80)).append("]".repeat(80));
        }
        bodies.put("NUL in every property", nul.append('}').toString());
        bodies.put("huge strings in every property", huge.append('}').toString());
        bodies.put("numbers over numeric in every property", numbers.append('}').toString());
        bodies.put("deep nesting in every property", deep.append('}').toString());
        String first = properties.keySet().iterator().next();
        bodies.put("NUL property name", "{\"" + first + "\\u0000\":\"x\"}");
        bodies.put("duplicate property then trailing data", "{\"" + first + "\":\"x\",\"" + first + "\":\"y\"}]");
        return bodies;
    }

    /** Values of another type than the property's, each refused by JSON-B (a number in a string is coerced). */
    private static List<String> wrongValues(String type) {
        return switch (type) {
            case "integer", "number" -> List.of("\"x\"", "{}", "[]", "true", "99999999999999999999", "1e400");
            case "boolean" -> List.of("\"x\"", "{}", "[]", "2");
            case "object" -> List.of("\"x\"", "[]", "1", "\"00000000-0000-4000-8000-00000000000z\"");
            case "array" -> List.of("{}", "\"x\"", "1", "[{}]", "[\"x\\u0000\"]");
            default -> List.of("{}", "[]", "[\"x\"]", "{\"a\":1}");
        };
    }

    private static String schemaType(JsonObject schema) {
        if (schema == null) {
            return "string";
        }
        if (schema.containsKey("enum")) {
            return "string";
        }
        return schema.getString("type", "object");
    }

    private Probe probe(Operation operation, String what, boolean mustRefuse, String path, String contentType,
                        byte[] body, String sessionToken) {
        HttpRequest.Builder request = request(path, sessionToken);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return new Probe(operation, what, mustRefuse, request.method(operation.method(),
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private HttpRequest.Builder request(String path, String sessionToken) {
        // the document's paths start at the WAR's context root (/api/v1/...)
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(contextRoot() + path.substring(1)))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json, application/problem+json");
        if (sessionToken != null) {
            request.header("Authorization", "Bearer " + sessionToken);
        }
        return request;
    }

    /** The operation's path with real ids, and {@code junk} (already encoded) for the parameters it names. */
    private String path(Operation operation, Map<String, String> junk) {
        Matcher parameters = PATH_PARAMETER.matcher(operation.template());
        StringBuilder path = new StringBuilder();
        while (parameters.find()) {
            String name = parameters.group(1);
            String before = operation.template().substring(0, parameters.start());
            String segment = before.substring(before.substring(0, before.length() - 1).lastIndexOf('/') + 1, before.length() - 1);
            String value = junk.containsKey(name) ? junk.get(name) : realId(name, segment);
            parameters.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        parameters.appendTail(path);
        return path.toString();
    }

    private Map<String, String> junkEveryId(Operation operation) {
        Map<String, String> junk = new LinkedHashMap<>();
        operation.parameters("path").forEach(p -> junk.put(p.getString("name"), "not-a-uuid"));
        return junk;
    }

    /** A real id for a path parameter, chosen by its name or the collection before it; else a random UUID. */
    private String realId(String name, String collection) {
        if (realIds.containsKey(name)) {
            return realIds.get(name);
        }
        return switch (collection) {
            case "workspaces" -> realIds.get("workspaceId");
            case "workflows" -> realIds.get("workflowId");
            case "runs" -> realIds.get("runId");
            case "members" -> realIds.get("userId");
            case "versions" -> "1";
            default -> UUID.randomUUID().toString();
        };
    }

    // ---- set-up, the document and the database

    private void signUpWithAWorkspaceAWorkflowAndARun() {
        email = newEmail();
        token = api.signupVerifiedAndLogin(email, PASSWORD);
        currentToken = token;
        realIds.put("userId", api.get("me", token).json().getString("id"));
        Answer workspace = api.post("workspaces", "{\"name\":\"Sweep\"}", token);
        assertThat(workspace.status()).as(workspace.toString()).isEqualTo(201);
        String workspaceId = workspace.json().getString("id");
        realIds.put("workspaceId", workspaceId);
        Answer workflow = api.post("workspaces/" + workspaceId + "/workflows", "{\"name\":\"Swept\",\"definition\":"
                + "{\"nodes\":[{\"id\":\"start\",\"type\":\"trigger.manual\",\"params\":{}}],\"edges\":[]}}", token);
        assertThat(workflow.status()).as(workflow.toString()).isEqualTo(201);
        String workflowId = workflow.json().getString("id");
        realIds.put("workflowId", workflowId);
        Answer run = api.post("workspaces/" + workspaceId + "/workflows/" + workflowId + "/runs", "{}", token);
        assertThat(run.status()).as(run.toString()).isEqualTo(201);
        realIds.put("runId", run.json().getString("id"));
    }

    private JsonObject openApiDocument() {
        Answer document = api.send(HttpRequest.newBuilder(URI.create(serverRoot() + "openapi"))
                .header("Accept", "application/json").GET().build());
        assertThat(document.status()).isEqualTo(200);
        return document.json();
    }

    private static List<Operation> operations(JsonObject document) {
        List<Operation> operations = new ArrayList<>();
        document.getJsonObject("paths").forEach((path, item) -> item.asJsonObject().forEach((method, operation) -> {
            if (Set.of("get", "put", "post", "delete", "patch").contains(method)) {
                operations.add(new Operation(method.toUpperCase(Locale.ROOT), path, operation.asJsonObject(), document));
            }
        }));
        return operations;
    }

    /** Follows a local {@code $ref} ({@code #/components/...}) of {@code document}. */
    private static JsonObject resolve(JsonObject document, JsonObject value) {
        if (value == null || !value.containsKey("$ref")) {
            return value;
        }
        JsonObject found = document;
        for (String part : value.getString("$ref").substring(2).split("/")) {
            found = found.getJsonObject(part);
        }
        return found;
    }

    /**
     * Every application table (Liquibase's own aside, found in the catalog so tables added later count too):
     * its row count and a digest of its rows.
     */
    private static Map<String, String> tableChecksums() throws SQLException {
        Map<String, String> checksums = new TreeMap<>();
        for (String table : Sql.column("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                + " AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'databasechangelog%' ORDER BY 1")) {
            checksums.put(table, Sql.column("SELECT count(*) || ':' || coalesce(md5(string_agg(md5(t::text), ','"
                    + " ORDER BY md5(t::text))), '') FROM \"" + table + "\" t").get(0));
        }
        return checksums;
    }

    private String serverRoot() {
        return URI.create(deploymentUrl.toString()).resolve("/").toString();
    }

    /** The WAR's URL, ending in a slash. */
    private String contextRoot() {
        String url = deploymentUrl.toString();
        return url.endsWith("/") ? url : url + "/";
    }

    private static String cursor(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String clip(String text) {
        String printable = text.replace("\u0000", "\\u0000").replaceAll("[\\r\\n]", " ");
        return printable.length() > 60 ? printable.substring(0, 60) + "...(" + text.length() + ")" : printable;
    }
}
