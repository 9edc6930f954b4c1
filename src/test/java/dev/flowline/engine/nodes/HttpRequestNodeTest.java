package dev.flowline.engine.nodes;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.flowline.connections.CredentialOrigins;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Against a real HTTP server on 127.0.0.1 (allowed by configuration here, as it would be refused in production):
 * what is sent, how answers become output, which failures are retryable, and that every redirect hop is checked.
 */
class HttpRequestNodeTest {

    private static final AddressPolicy LOCAL = AddressPolicy.allowing(List.of("127.0.0.1/32"));
    private static final AtomicInteger PATHS = new AtomicInteger();

    private static HttpServer server;
    private static ExecutorService handlers;

    private final HttpRequestNode node = new HttpRequestNode(LOCAL, 4096, 3);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> contexts = new ArrayList<>();

    /** One request as the server saw it. */
    record Received(String method, String path, Headers headers, String body) {
    }

    @BeforeAll
    static void startServer() throws IOException {
        handlers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "test-http-handler");
            thread.setDaemon(true);
            return thread;
        });
        server = start(handlers);
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
        handlers.shutdownNow(); // wakes the handler still sleeping for the timeout test
    }

    @AfterEach
    void removeContexts() {
        contexts.forEach(server::removeContext);
    }

    @Test
    void getParsesAJsonBody() {
        String url = serve(exchange -> respond(exchange, 200, "application/json; charset=utf-8",
                "{\"ok\":true,\"items\":[1,2]}", "X-Custom", "A"));

        JsonObject output = node.send(params("url", url), 1, null);

        assertThat(output.getInt("status")).isEqualTo(200);
        assertThat(output.getJsonObject("body")).isEqualTo(Json.createObjectBuilder()
                .add("ok", true).add("items", Json.createArrayBuilder().add(1).add(2)).build());
        assertThat(output.getJsonObject("headers").getString("x-custom")).isEqualTo("A");
        assertThat(output.getJsonObject("headers").getString("content-type")).startsWith("application/json");
        assertThat(received).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.headers().getFirst("User-Agent")).isEqualTo("Flowline");
            assertThat(request.headers().containsKey("Idempotency-Key")).isFalse();
        });
    }

    @Test
    void aRequestCarriesTheTraceItRunsInAndNoneOutsideATrace() {
        String url = serve(exchange -> respond(exchange, 200, "application/json", "{}"));
        SpanContext step = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());

        try (Scope scope = Span.wrap(step).makeCurrent()) {
            node.send(Json.createObjectBuilder().add("url", url)
                    .add("headers", Json.createObjectBuilder().add("traceparent", "00-forged")).build(), 1, null);
        }
        node.send(params("url", url), 1, null);

        // the no-op tracer's span carries its parent's context: the step's trace, in place of the params' header
        assertThat(received.get(0).headers().getFirst("traceparent"))
                .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(received.get(1).headers().containsKey("traceparent")).as("outside a trace").isFalse();
    }

    @Test
    void aSpanRecordsTheUrlWithoutUserInfoQueryOrFragment() {
        assertThat(HttpRequestNode.withoutQuery(URI.create("https://user:pw@api.example.com:8443/v1/items?key=s#top")))
                .isEqualTo("https://api.example.com:8443/v1/items");
        assertThat(HttpRequestNode.withoutQuery(URI.create("http://127.0.0.1/a%20b?token=x")))
                .isEqualTo("http://127.0.0.1/a%20b");
    }

    @Test
    void postSendsJsonBodyHeadersAndIdempotencyKey() {
        String url = serve(exchange -> respond(exchange, 201, "application/problem+json", "{\"id\":7}"));
        JsonObject params = Json.createObjectBuilder()
                .add("url", url + "?q=1")
                .add("method", "POST")
                .add("headers", Json.createObjectBuilder().add("X-Api-Key", "secret").add("Accept", "*/*"))
                .add("body", Json.createObjectBuilder().add("name", "Ada").add("n", 3))
                .build();

        JsonObject output = node.send(params, 2, "run-1:step-a");

        assertThat(output.getInt("status")).isEqualTo(201);
        assertThat(output.getJsonObject("body").getInt("id")).isEqualTo(7);
        Received request = received.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).endsWith("?q=1");
        assertThat(request.headers().getFirst("X-Api-Key")).isEqualTo("secret");
        assertThat(request.headers().getFirst("Accept")).isEqualTo("*/*");
        assertThat(request.headers().getFirst("Idempotency-Key")).isEqualTo("run-1:step-a");
        assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(Json.createReader(new StringReader(request.body())).readObject())
                .isEqualTo(params.getJsonObject("body"));
    }

    @Test
    void stringBodyIsTextUnlessAContentTypeSaysOtherwise() {
        String url = serve(exchange -> respond(exchange, 200, "text/plain", "done"));

        node.send(Json.createObjectBuilder().add("url", url).add("method", "PUT").add("body", "hello").build(),
                1, null);
        node.send(Json.createObjectBuilder().add("url", url).add("method", "PUT").add("body", "a=1")
                .add("headers", Json.createObjectBuilder().add("content-type", "application/x-www-form-urlencoded"))
                .build(), 1, null);

        assertThat(received.get(0).headers().getFirst("Content-Type")).isEqualTo("text/plain; charset=UTF-8");
        assertThat(received.get(0).body()).isEqualTo("hello");
        assertThat(received.get(1).headers().get("Content-Type")).containsExactly("application/x-www-form-urlencoded");
        assertThat(received.get(1).body()).isEqualTo("a=1");
    }

    @Test
    void textBodiesAreDecodedWithTheirCharset() {
        String url = serve(exchange -> {
            byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=ISO-8859-1");
            exchange.sendResponseHeaders(200, latin1.length);
            exchange.getResponseBody().write(latin1);
            exchange.close();
        });

        assertThat(node.send(params("url", url), 1, null).getString("body")).isEqualTo("café");
    }

    @Test
    void mislabelledJsonIsPassedOnAsText() {
        String url = serve(exchange -> respond(exchange, 200, "application/json", "not json"));

        assertThat(node.send(params("url", url), 1, null).getString("body")).isEqualTo("not json");
    }

    @Test
    void headAndEmptyBodiesAnswerNull() {
        String url = serve(exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("HEAD") ? 200 : 204, -1);
            exchange.close();
        });

        JsonObject head = node.send(Json.createObjectBuilder().add("url", url).add("method", "HEAD").build(), 1, null);
        JsonObject delete =
                node.send(Json.createObjectBuilder().add("url", url).add("method", "DELETE").build(), 1, null);

        assertThat(head.getInt("status")).isEqualTo(200);
        assertThat(head.get("body")).isEqualTo(JsonValue.NULL);
        assertThat(delete.getInt("status")).isEqualTo(204);
        assertThat(delete.get("body")).isEqualTo(JsonValue.NULL);
        assertThat(received).extracting(Received::method).containsExactly("HEAD", "DELETE");
    }

    @Test
    void serverErrorsAndTooManyRequestsAreRetryableOtherClientErrorsAreNot() {
        assertThat(failure(500).retryable()).isTrue();
        assertThat(failure(503).retryable()).isTrue();
        assertThat(failure(429).retryable()).isTrue();
        assertThat(failure(408).retryable()).isTrue();
        assertThat(failure(404).retryable()).isFalse();
        assertThat(failure(400).retryable()).isFalse();
        assertThat(failure(500)).hasMessage("127.0.0.1 answered HTTP 500");
        assertThat(failure(404)).hasMessage("127.0.0.1 answered HTTP 404");
    }

    @Test
    void aSlowServerTimesOutRetryably() {
        String url = serve(exchange -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "text/plain", "late");
        });

        StepFailedException failure = catchThrowableOfType(StepFailedException.class, () -> node.send(
                Json.createObjectBuilder().add("url", url).add("timeoutSeconds", 1).build(), 1, null));

        assertThat(failure).hasMessage("request to 127.0.0.1 timed out after 1 s");
        assertThat(failure.retryable()).isTrue();
    }

    @Test
    void aRefusedConnectionIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        StepFailedException failure = catchThrowableOfType(StepFailedException.class,
                () -> node.send(params("url", "http://127.0.0.1:" + closedPort + "/"), 1, null));

        assertThat(failure.retryable()).isTrue();
        assertThat(failure).hasMessageContaining("127.0.0.1");
    }

    @Test
    void responsesOverTheCapAreRefusedWhetherDeclaredOrStreamed() {
        byte[] big = new byte[100_000];
        String declared = serve(exchange -> {
            exchange.sendResponseHeaders(200, big.length);
            write(exchange, big);
        });
        String chunked = serve(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            write(exchange, big);
        });
        String justUnder = serve(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            write(exchange, "x".repeat(4096).getBytes(StandardCharsets.UTF_8));
        });

        for (String url : List.of(declared, chunked)) {
            StepFailedException failure =
                    catchThrowableOfType(StepFailedException.class, () -> node.send(params("url", url), 1, null));
            assertThat(failure).hasMessage("response from 127.0.0.1 larger than 4096 bytes");
            assertThat(failure.retryable()).isFalse();
        }
        assertThat(node.send(params("url", justUnder), 1, null).getString("body")).hasSize(4096);
    }

    @Test
    void followsARelativeRedirect() {
        String base = serve(exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/start")) {
                exchange.getResponseHeaders().add("Location", "next?page=2");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            } else {
                respond(exchange, 200, "application/json", "{\"page\":2}");
            }
        });

        JsonObject output = node.send(params("url", base + "/start"), 1, "key");

        assertThat(output.getJsonObject("body").getInt("page")).isEqualTo(2);
        assertThat(received).extracting(Received::path).containsExactly(
                URI.create(base).getPath() + "/start", URI.create(base).getPath() + "/next?page=2");
        assertThat(received.get(1).headers().getFirst("Idempotency-Key")).isEqualTo("key");
    }

    @Test
    void seeOtherAfterPostBecomesGetWithoutBody() {
        String done = serve(exchange -> respond(exchange, 200, "text/plain", "ok"));
        String base = serve(exchange -> {
            exchange.getResponseHeaders().add("Location", URI.create(done).getPath());
            exchange.sendResponseHeaders(303, -1);
            exchange.close();
        });

        node.send(Json.createObjectBuilder().add("url", base).add("method", "POST")
                .add("body", Json.createObjectBuilder().add("a", 1)).build(), 1, null);

        assertThat(received).extracting(Received::method).containsExactly("POST", "GET");
        assertThat(received.get(0).body()).isEqualTo("{\"a\":1}");
        assertThat(received.get(1).path()).isEqualTo(URI.create(done).getPath());
        assertThat(received.get(1).body()).isEmpty();
        assertThat(received.get(1).headers().containsKey("Content-Type")).isFalse();
    }

    @Test
    void credentialsAreNotSentToAnotherOrigin() throws IOException {
        HttpServer other = start(handlers);
        try {
            List<Received> otherReceived = new CopyOnWriteArrayList<>();
            other.createContext("/", exchange -> {
                otherReceived.add(record(exchange));
                respond(exchange, 200, "text/plain", "ok");
            });
            String url = serve(exchange -> {
                exchange.getResponseHeaders().add("Location",
                        "http://127.0.0.1:" + other.getAddress().getPort() + "/elsewhere");
                exchange.sendResponseHeaders(307, -1);
                exchange.close();
            });

            node.send(Json.createObjectBuilder().add("url", url).add("headers", Json.createObjectBuilder()
                    .add("Authorization", "Bearer secret").add("X-Trace", "t1")).build(), 1, null);

            assertThat(received.get(0).headers().getFirst("Authorization")).isEqualTo("Bearer secret");
            assertThat(otherReceived).singleElement().satisfies(request -> {
                assertThat(request.headers().containsKey("Authorization")).isFalse();
                assertThat(request.headers().getFirst("X-Trace")).isEqualTo("t1");
            });
        } finally {
            other.stop(0);
        }
    }

    @Test
    void redirectsToRefusedAddressesAreRefusedBeforeConnecting() {
        for (String target : List.of("http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/",
                "http://[::1]:8080/")) {
            String url = serve(exchange -> {
                exchange.getResponseHeaders().add("Location", target);
                exchange.sendResponseHeaders(301, -1);
                exchange.close();
            });

            StepFailedException failure =
                    catchThrowableOfType(StepFailedException.class, () -> node.send(params("url", url), 1, null));

            assertThat(failure).hasMessageContaining(" refused: ").hasMessageNotContaining("admin")
                    .hasMessageNotContaining("meta-data");
            assertThat(failure.retryable()).isFalse();
        }
    }

    @Test
    void theCloudMetadataAddressIsNamedAsSuch() {
        String url = serve(exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });

        assertThat(catchThrowableOfType(StepFailedException.class, () -> node.send(params("url", url), 1, null)))
                .hasMessage("connection to 169.254.169.254 refused: 169.254.169.254 is a link-local address "
                        + "(the cloud metadata endpoint)");
    }

    @Test
    void tooManyRedirectsFail() {
        String url = serve(exchange -> {
            exchange.getResponseHeaders().add("Location", exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });

        StepFailedException failure =
                catchThrowableOfType(StepFailedException.class, () -> node.send(params("url", url), 1, null));

        assertThat(failure).hasMessage("more than 3 redirects, the last from 127.0.0.1");
        assertThat(failure.retryable()).isFalse();
        assertThat(received).hasSize(4);
    }

    @Test
    void theStrictPolicyRefusesLoopbackWithoutConnecting() {
        String url = serve(exchange -> respond(exchange, 200, "text/plain", "reached"));
        HttpRequestNode strict = new HttpRequestNode(AddressPolicy.strict(), 4096, 3);

        StepFailedException failure =
                catchThrowableOfType(StepFailedException.class, () -> strict.send(params("url", url), 1, null));

        assertThat(failure).hasMessage("connection to 127.0.0.1 refused: 127.0.0.1 is a loopback address");
        assertThat(failure.retryable()).isFalse();
        assertThat(received).isEmpty();
    }

    @Test
    void aCredentialsHeadersReplaceThoseOfTheParams() {
        String url = serve(exchange -> respond(exchange, 200, "text/plain", "reached"));

        node.send(Json.createObjectBuilder().add("url", url)
                .add("headers", Json.createObjectBuilder().add("authorization", "Basic c3RhbGU="))
                .build(), 1, null, Optional.of(credential(local(), Map.of("Authorization", "Bearer tok-123"),
                Map.of())));

        assertThat(received).singleElement().satisfies(request ->
                assertThat(request.headers().get("Authorization")).containsExactly("Bearer tok-123"));
    }

    @Test
    void aCredentialIsNeverSentToAnOriginOutsideItsList() {
        String url = serve(exchange -> respond(exchange, 200, "text/plain", "reached"));
        SentCredential onlyElsewhere = credential("https://api.example.com",
                Map.of("Authorization", "Bearer tok-123"), Map.of("api_key", "k-456"));

        StepFailedException failure = catchThrowableOfType(StepFailedException.class,
                () -> node.send(params("url", url + "?q=1"), 1, null, Optional.of(onlyElsewhere)));

        assertThat(failure).hasMessage("connection c-1 may not be sent to " + local() + ": that origin is not in"
                + " flowline.oauth.test.api-origins; the request was not sent");
        assertThat(failure).hasMessageNotContaining("tok-123").hasMessageNotContaining("q=1");
        assertThat(failure.retryable()).isFalse();
        assertThat(received).isEmpty();
    }

    @Test
    void queryParametersOfACredentialAreAddedEncodedToAllowedHopsOnly() throws IOException {
        HttpServer other = start(handlers);
        try {
            List<Received> otherReceived = new CopyOnWriteArrayList<>();
            other.createContext("/", exchange -> {
                otherReceived.add(record(exchange));
                respond(exchange, 200, "text/plain", "ok");
            });
            String url = serve(exchange -> {
                exchange.getResponseHeaders().add("Location",
                        "http://127.0.0.1:" + other.getAddress().getPort() + "/elsewhere?page=2");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            });

            node.send(params("url", url + "?q=a"), 1, null,
                    Optional.of(credential(local(), Map.of(), Map.of("api_key", "k 1&2"))));

            assertThat(received).singleElement().satisfies(request ->
                    assertThat(request.path()).endsWith("?q=a&api_key=k%201%262"));
            assertThat(otherReceived).singleElement().satisfies(request ->
                    assertThat(request.path()).isEqualTo("/elsewhere?page=2"));
        } finally {
            other.stop(0);
        }
    }

    @Test
    void aCredentialFollowsRedirectsToListedOriginsAndIsDroppedElsewhere() throws IOException {
        HttpServer listed = start(handlers);
        HttpServer unlisted = start(handlers);
        try {
            List<Received> listedReceived = new CopyOnWriteArrayList<>();
            List<Received> unlistedReceived = new CopyOnWriteArrayList<>();
            String unlistedUrl = "http://127.0.0.1:" + unlisted.getAddress().getPort() + "/last";
            listed.createContext("/", exchange -> {
                listedReceived.add(record(exchange));
                exchange.getResponseHeaders().add("Location", unlistedUrl);
                exchange.sendResponseHeaders(307, -1);
                exchange.close();
            });
            unlisted.createContext("/", exchange -> {
                unlistedReceived.add(record(exchange));
                respond(exchange, 200, "text/plain", "ok");
            });
            String listedOrigin = "http://127.0.0.1:" + listed.getAddress().getPort();
            String url = serve(exchange -> {
                exchange.getResponseHeaders().add("Location", listedOrigin + "/next");
                exchange.sendResponseHeaders(307, -1);
                exchange.close();
            });
            SentCredential sent = new SentCredential("credential c-2", "the credential's origins",
                    Map.of("X-Api-Key", "k-789"), Map.of(), CredentialOrigins.parse(List.of(local(), listedOrigin)));

            node.send(Json.createObjectBuilder().add("url", url).add("headers", Json.createObjectBuilder()
                    .add("X-Session-Id", "from-input").add("X-Trace", "t1")).build(), 1, null, Optional.of(sent));

            assertThat(received.get(0).headers().getFirst("X-Api-Key")).isEqualTo("k-789");
            assertThat(listedReceived).singleElement().satisfies(request ->
                    assertThat(request.headers().getFirst("X-Api-Key")).isEqualTo("k-789"));
            assertThat(unlistedReceived).singleElement().satisfies(request -> {
                assertThat(request.headers().containsKey("X-Api-Key")).isFalse();
                assertThat(request.headers().containsKey("X-Session-Id")).as("a secret-named header of the params")
                        .isFalse();
                assertThat(request.headers().getFirst("X-Trace")).isEqualTo("t1");
            });
        } finally {
            listed.stop(0);
            unlisted.stop(0);
        }
    }

    /**
     * DNS rebinding: a name server answering an allowed address first and a refused one after. The node connects to
     * the address it checked: the refused host (a second server on 127.0.0.2, same port) is never reached. With
     * java.net.http, the check and the connection looked the name up separately, and the second answer won.
     */
    @Test
    void connectsToTheAddressItCheckedWhenTheNameServerChangesItsAnswer() throws IOException {
        InetAddress allowed = InetAddress.getByName("127.0.0.1");
        InetAddress refused = InetAddress.getByName("127.0.0.2");
        HttpServer inside;
        try {
            inside = HttpServer.create(new InetSocketAddress(refused, server.getAddress().getPort()), 0);
        } catch (IOException e) {
            throw new IllegalStateException("127.0.0.2 must be bindable (Linux answers all of 127/8)", e);
        }
        inside.setExecutor(handlers);
        List<Received> insideReceived = new CopyOnWriteArrayList<>();
        inside.createContext("/", exchange -> {
            insideReceived.add(record(exchange));
            respond(exchange, 200, "text/plain", "internal");
        });
        inside.start();
        AtomicInteger lookups = new AtomicInteger();
        HttpRequestNode pinned = new HttpRequestNode(LOCAL, host -> {
            if (!host.equals("rebind.test")) {
                return InetAddress.getAllByName(host);
            }
            return new InetAddress[]{lookups.getAndIncrement() == 0 ? allowed : refused};
        }, 4096, 3, 2);
        try {
            String path = URI.create(serve(exchange -> respond(exchange, 200, "text/plain", "public"))).getPath();

            JsonObject output = pinned.send(params("url", "http://rebind.test:" + server.getAddress().getPort()
                    + path), 1, null);

            assertThat(output.getString("body")).isEqualTo("public");
            assertThat(insideReceived).isEmpty();
            assertThat(lookups).hasValue(1);

            // Once the pooled connection is gone, the next one looks up again and is refused before connecting.
            pinned.close();
            HttpRequestNode fresh = new HttpRequestNode(LOCAL, host -> new InetAddress[]{refused}, 4096, 3, 2);
            StepFailedException failure = catchThrowableOfType(StepFailedException.class, () -> fresh.send(
                    params("url", "http://rebind.test:" + server.getAddress().getPort() + path), 1, null));
            fresh.close();
            assertThat(failure).hasMessage("connection to rebind.test refused: 127.0.0.2 is a loopback address");
            assertThat(insideReceived).isEmpty();
        } finally {
            inside.stop(0);
        }
    }

    /** A kept-alive connection whose server went away (a restart, an idle timeout) is not reused for the next request. */
    @Test
    void aPooledConnectionClosedByTheServerIsNotReused() throws IOException {
        HttpServer first = start(handlers);
        int port = first.getAddress().getPort();
        first.createContext("/", exchange -> respond(exchange, 200, "text/plain", "first"));
        String url = "http://127.0.0.1:" + port + "/x";
        assertThat(node.send(params("url", url), 1, null).getString("body")).isEqualTo("first");
        first.stop(0);
        HttpServer second = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        second.setExecutor(handlers);
        second.createContext("/", exchange -> respond(exchange, 200, "text/plain", "second"));
        second.start();
        try {
            assertThat(node.send(Json.createObjectBuilder().add("url", url).add("method", "POST").add("body", "b")
                    .build(), 1, null).getString("body")).isEqualTo("second");
        } finally {
            second.stop(0);
        }
    }

    @Test
    void framingHeadersCannotBeSet() {
        String url = serve(exchange -> respond(exchange, 200, "text/plain", "reached"));
        for (String name : List.of("Host", "Content-Length", "Transfer-Encoding", "Connection")) {
            StepFailedException failure = catchThrowableOfType(StepFailedException.class, () -> node.send(
                    Json.createObjectBuilder().add("url", url).add("headers", Json.createObjectBuilder()
                            .add(name, "x")).build(), 1, null));
            assertThat(failure).hasMessage("header " + name + " cannot be sent");
        }
        assertThat(received).isEmpty();
    }

    private static String local() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static SentCredential credential(String origins, Map<String, String> headers, Map<String, String> query) {
        return new SentCredential("connection c-1", "flowline.oauth.test.api-origins", headers, query,
                CredentialOrigins.parseList(origins));
    }

    @Test
    void headerValuesNeverAppearInFailures() {
        String url = serve(exchange -> respond(exchange, 200, "text/plain", "reached"));

        StepFailedException failure = catchThrowableOfType(StepFailedException.class, () -> node.send(
                Json.createObjectBuilder().add("url", url).add("headers", Json.createObjectBuilder()
                        .add("X-Token", "secret\r\nInjected: yes")).build(), 1, null));

        assertThat(failure).hasMessage("header X-Token cannot be sent").hasMessageNotContaining("secret");
        assertThat(failure.retryable()).isFalse();
        assertThat(received).isEmpty();
    }

    private StepFailedException failure(int status) {
        String url = serve(exchange -> respond(exchange, status, "application/json", "{\"error\":\"x\"}"));
        return catchThrowableOfType(StepFailedException.class, () -> node.send(params("url", url), 1, null));
    }

    private static JsonObject params(String name, String value) {
        return Json.createObjectBuilder().add(name, value).build();
    }

    private static HttpServer start(ExecutorService executor) throws IOException {
        HttpServer started = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        started.setExecutor(executor);
        started.start();
        return started;
    }

    /** Serves {@code handler} at a path of its own, recording each request; answers that path's URL. */
    private String serve(HttpHandler handler) {
        String path = "/t" + PATHS.incrementAndGet();
        server.createContext(path, exchange -> {
            received.add(record(exchange));
            handler.handle(exchange);
        });
        contexts.add(path);
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static Received record(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        return new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                exchange.getRequestHeaders(), body);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body, String... headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) {
            exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        write(exchange, bytes);
    }

    private static void write(HttpExchange exchange, byte[] bytes) {
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            // the client hung up (over the cap, timed out): expected in some tests
        } finally {
            exchange.close();
        }
    }
}
