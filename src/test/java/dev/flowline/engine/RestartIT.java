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
 * restart does) while its runs wait, and a new server process on the same database finishes them, losing nothing
 * and running no finished step twice. The tests are steps of one story, in order: start and park, restart, finish.
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
        delayedRun = start(api, token, delayed);

        JsonObject parked = await(api, token, delayedRun, run -> steps(run).contains("pause:WAITING"));
        assertThat(parked.getString("status")).isEqualTo("QUEUED");
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

    private String start(ApiClient api, String token, String workflowId) {
        Answer started = api.post("workspaces/" + workspace + "/workflows/" + workflowId + "/runs",
                "{\"input\":{}}", token);
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
