package dev.flowline.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flowline.testing.ApiClient;
import dev.flowline.testing.ApiClient.Answer;
import dev.flowline.testing.Deployments;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs parked across a restart of the server: the server is stopped (a graceful shutdown, as a redeploy or a rolling
 * restart does) while its runs wait (a delay, a resume URL, a called child, the children of a forEach), and a new
 * server process on the same database finishes them, losing nothing and running no finished step twice. The tests are steps of one story, in order: start and park, restart, finish.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartIT {

    private static final String SERVER = "restarted";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELED", "DEAD_LETTERED");
    private static final String PASSWORD = "correct horse battery";

    /** What the local server received: one line per request, "path body". */
    private static final List<String> received = new CopyOnWriteArrayList<>();
    private static HttpServer server;
    private static String email;
    private static String workspace;
    private static String delayedRun;
    private static String waitingRun;
    private static String callingRun;
    private static String forEachRun;

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = SERVER, managed = false, testable = false)
    static WebArchive deployment() {
        return Deployments.withConfig(Deployments.product(),
                "flowline.engine.http.allowed-networks=127.0.0.1/32", "flowline.engine.poll-millis=200");
    }

    @BeforeAll
    static void localServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", RestartIT::answer);
        server.start();
    }

    @AfterAll
    static void stopLocalServer() {
        server.stop(0);
    }

    private static void answer(HttpExchange exchange) throws IOException {
        received.add(exchange.getRequestURI().getPath() + " "
                + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String local(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    @Order(1)
    void serverStarts() {
        deployer.deploy(SERVER);
    }

    @Test
    @Order(2)
    void runsParkBeforeTheRestart(@ArquillianResource @OperateOnDeployment(SERVER) URL url) {
        ApiClient api = new ApiClient(url);
        email = "restart-" + UUID.randomUUID() + "@example.com";
        String token = api.signupVerifiedAndLogin(email, PASSWORD);
        workspace = api.get("workspaces", token).json().getJsonArray("items").getJsonObject(0).getString("id");

        String delayed = create(api, token, """
                {"nodes":[{"id":"start","type":"trigger.manual","params":{}},
                  {"id":"before","type":"http.request","params":{"url":"%s","method":"POST","body":{"n":"before"}}},
                  {"id":"pause","type":"flow.delay","params":{"seconds":8}},
                  {"id":"after","type":"http.request","params":{"url":"%s","method":"POST","body":{"n":"after"}}}],
                 "edges":[{"from":"start","to":"before"},{"from":"before","to":"pause"},{"from":"pause","to":"after"}]}"""
                .formatted(local("/delayed"), local("/delayed")));
        delayedRun = start(api, token, delayed, "{}");

        JsonObject parked = await(api, token, delayedRun, run -> steps(run).contains("pause:WAITING"));
        assertThat(parked.getString("status")).isEqualTo("QUEUED");

        String waiting = create(api, token, """
                {"nodes":[{"id":"start","type":"trigger.manual","params":{}},
                  {"id":"ask","type":"http.request","params":{"url":"%s","method":"POST",
                      "body":{"url":"{{run.resumeUrls.approval}}"}}},
                  {"id":"approval","type":"flow.wait","params":{}},
                  {"id":"done","type":"data.set","params":{"values":{"ok":"{{nodes.approval.body.ok}}"}}}],
                 "edges":[{"from":"start","to":"ask"},{"from":"ask","to":"approval"},
                   {"from":"approval","to":"done","when":"resumed"}]}""".formatted(local("/ask")));
        waitingRun = start(api, token, waiting, "{}");

        String child = create(api, token, """
                {"nodes":[{"id":"start","type":"trigger.manual","params":{}},
                  {"id":"pause","type":"flow.delay","params":{"seconds":8}},
                  {"id":"work","type":"http.request","params":{"url":"%s","method":"POST","body":"{{input}}"}}],
                 "edges":[{"from":"start","to":"pause"},{"from":"pause","to":"work"}]}""".formatted(local("/child")));
        String caller = create(api, token, """
                {"nodes":[{"id":"start","type":"trigger.manual","params":{}},
                  {"id":"before","type":"http.request","params":{"url":"%s","method":"POST","body":{"n":"before"}}},
                  {"id":"call","type":"flow.call","params":{"workflowId":"%s","input":{"n":"called"}}},
                  {"id":"after","type":"data.set","params":{"values":{"child":"{{nodes.call.body}}"}}}],
                 "edges":[{"from":"start","to":"before"},{"from":"before","to":"call"},{"from":"call","to":"after"}]}"""
                .formatted(local("/caller"), child));
        callingRun = start(api, token, caller, "{}");
        String forEach = create(api, token, """
                {"nodes":[{"id":"start","type":"trigger.manual","params":{}},
                  {"id":"each","type":"flow.forEach","params":{"workflowId":"%s","items":"input.items","concurrency":2}}],
                 "edges":[{"from":"start","to":"each"}]}""".formatted(child));
        forEachRun = start(api, token, forEach, "{\"items\":[{\"n\":1},{\"n\":2}]}");

        for (String runId : List.of(waitingRun, callingRun, forEachRun)) {
            JsonObject waitingForIt = await(api, token, runId,
                    run -> steps(run).stream().anyMatch(step -> step.endsWith(":WAITING")));
            assertThat(waitingForIt.getString("status")).isEqualTo("QUEUED");
        }
    }

    @Test
    @Order(3)
    void theServerRestartsWhileTheRunsWait() {
        deployer.undeploy(SERVER);
        deployer.deploy(SERVER);
    }

    @Test
    @Order(4)
    void theNewServerFinishesEachRunWithoutRepeatingAFinishedStep(
            @ArquillianResource @OperateOnDeployment(SERVER) URL url) {
        ApiClient api = new ApiClient(url);
        String token = api.login(email, PASSWORD);

        JsonObject delayed = await(api, token, delayedRun, run -> ENDED.contains(run.getString("status")));
        assertThat(delayed.getString("status")).as(delayed.toString()).isEqualTo("SUCCEEDED");
        assertThat(steps(delayed)).containsExactly("start:SUCCEEDED", "before:SUCCEEDED", "pause:WAITING",
                "pause:SUCCEEDED", "after:SUCCEEDED");
        assertThat(received.stream().filter(line -> line.startsWith("/delayed")))
                .containsExactly("/delayed {\"n\":\"before\"}", "/delayed {\"n\":\"after\"}");

        // the resume URL that went out before the restart still resumes the run, once
        String ask = received.stream().filter(line -> line.startsWith("/ask ")).findFirst().orElseThrow();
        String resumeUrl = jsonObject(ask.substring("/ask ".length())).getString("url");
        String prefix = "http://localhost:8080/api/v1/";
        assertThat(resumeUrl).startsWith(prefix + "hooks/resume/" + waitingRun + "/approval/");
        Answer resumed = api.send("POST", resumeUrl.substring(prefix.length()), "application/json", "{\"ok\":true}",
                null);
        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(202);
        JsonObject waited = await(api, token, waitingRun, run -> ENDED.contains(run.getString("status")));
        assertThat(waited.getString("status")).as(waited.toString()).isEqualTo("SUCCEEDED");
        assertThat(steps(waited)).containsExactly("start:SUCCEEDED", "ask:SUCCEEDED", "approval:WAITING",
                "approval:SUCCEEDED", "done:SUCCEEDED");
        assertThat(waited.getJsonObject("output").getBoolean("ok")).isTrue();

        // the child parked on its delay finished on the new server and woke its parent
        JsonObject called = await(api, token, callingRun, run -> ENDED.contains(run.getString("status")));
        assertThat(called.getString("status")).as(called.toString()).isEqualTo("SUCCEEDED");
        assertThat(steps(called)).containsExactly("start:SUCCEEDED", "before:SUCCEEDED", "call:WAITING",
                "call:SUCCEEDED", "after:SUCCEEDED");
        JsonObject each = await(api, token, forEachRun, run -> ENDED.contains(run.getString("status")));
        assertThat(each.getString("status")).as(each.toString()).isEqualTo("SUCCEEDED");
        assertThat(each.getJsonObject("output").getJsonArray("outputs")).hasSize(2);

        assertThat(received.stream().filter(line -> line.startsWith("/ask "))).as("asked once").hasSize(1);
        assertThat(received.stream().filter(line -> line.startsWith("/caller "))).as("the caller's step once")
                .containsExactly("/caller {\"n\":\"before\"}");
        assertThat(received.stream().filter(line -> line.startsWith("/child ")))
                .as("each child's step once: the call's and the two items'")
                .containsExactlyInAnyOrder("/child {\"n\":\"called\"}", "/child {\"n\":1}", "/child {\"n\":2}");
    }

    private static JsonObject jsonObject(String json) {
        return jakarta.json.Json.createReader(new java.io.StringReader(json)).readObject();
    }

    @Test
    @Order(5)
    void serverStops() {
        deployer.undeploy(SERVER);
    }

    private String create(ApiClient api, String token, String definition) {
        Answer created = api.post("workspaces/" + workspace + "/workflows",
                "{\"name\":\"Restart " + UUID.randomUUID() + "\",\"definition\":" + definition + "}", token);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().getString("id");
    }

    private String start(ApiClient api, String token, String workflowId, String input) {
        Answer started = api.post("workspaces/" + workspace + "/workflows/" + workflowId + "/runs",
                "{\"input\":" + input + "}", token);
        assertThat(started.status()).as(started.toString()).isEqualTo(201);
        return started.json().getString("id");
    }

    private JsonObject await(ApiClient api, String token, String runId, Predicate<JsonObject> done) {
        Instant deadline = Instant.now().plus(PATIENCE);
        JsonObject run = api.get("workspaces/" + workspace + "/runs/" + runId, token).json();
        while (!done.test(run) && Instant.now().isBefore(deadline)) {
            sleep();
            run = api.get("workspaces/" + workspace + "/runs/" + runId, token).json();
        }
        assertThat(done).as("run state within %s: %s", PATIENCE, run).accepts(run);
        return run;
    }

    /** The run's steps as "node:STATUS", in order. */
    private static List<String> steps(JsonObject run) {
        return run.getJsonArray("steps").stream().map(JsonValue::asJsonObject)
                .map(step -> step.getString("nodeId") + ":" + step.getString("status")).toList();
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
