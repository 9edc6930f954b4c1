package dev.flowline.billing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the Stripe API on 127.0.0.1 (the JDK's HttpServer): answers the calls Flowline makes
 * (customers, checkout sessions, portal sessions, meter events) in Stripe's shapes and records every request (form
 * parameters, Idempotency-Key, Stripe-Version) for tests to assert on. {@link #failNext} makes a path answer errors,
 * {@link #delay} slow; checkout sessions keep a status ({@code open}, then {@code expired} by the expire call or
 * {@code complete} by {@link #complete}), read by {@code GET /v1/checkout/sessions/{id}}.
 */
public final class StripeStub implements AutoCloseable {

    /** One request as Stripe would have received it. */
    public record Received(String method, String path, Map<String, String> params, String idempotencyKey,
                           String stripeVersion, String authorization, int status) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, String> sessionStatus = new ConcurrentHashMap<>();
    private final Map<String, Long> delays = new ConcurrentHashMap<>();

    public StripeStub() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    public List<Received> all() {
        return new ArrayList<>(received);
    }

    /** The next {@code times} requests to {@code path} answer a Stripe API error (500; the client may retry once). */
    public void failNext(String path, int times) {
        failures.computeIfAbsent(path, p -> new AtomicInteger()).set(times);
    }

    /** Requests to {@code path} answer after {@code millis}: overlapping calls stay in flight together. */
    public void delay(String path, long millis) {
        delays.put(path, millis);
    }

    /** The customer paid the session: Stripe will not expire it any more. */
    public void complete(String sessionId) {
        sessionStatus.put(sessionId, "complete");
    }

    public String status(String sessionId) {
        return sessionStatus.get(sessionId);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> params = form(body);
        AtomicInteger failing = failures.get(path);
        boolean fail = failing != null && failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        received.add(new Received(exchange.getRequestMethod(), path, params,
                exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                exchange.getRequestHeaders().getFirst("Stripe-Version"),
                exchange.getRequestHeaders().getFirst("Authorization"), fail ? 500 : 200));
        if (fail) {
            answer(exchange, 500, "{\"error\":{\"type\":\"api_error\",\"message\":\"The stub was told to fail.\"}}");
            return;
        }
        Long delay = delays.get(path);
        if (delay != null) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (path.startsWith("/v1/checkout/sessions/")) {
            session(exchange, path.substring("/v1/checkout/sessions/".length()));
            return;
        }
        int n = ids.incrementAndGet();
        if (path.equals("/v1/checkout/sessions")) {
            sessionStatus.put("cs_test_stub" + n, "open");
        }
        String json = switch (path) {
            case "/v1/customers" -> "{\"id\":\"cus_stub" + n + "\",\"object\":\"customer\",\"email\":\""
                    + params.getOrDefault("email", "") + "\",\"livemode\":false,\"metadata\":{}}";
            case "/v1/checkout/sessions" -> "{\"id\":\"cs_test_stub" + n + "\",\"object\":\"checkout.session\","
                    + "\"mode\":\"subscription\",\"status\":\"open\",\"customer\":\"" + params.get("customer")
                    + "\",\"url\":\"https://checkout.stripe.com/c/pay/cs_test_stub" + n + "\"}";
            case "/v1/billing_portal/sessions" -> "{\"id\":\"bps_stub" + n + "\",\"object\":\"billing_portal.session\","
                    + "\"customer\":\"" + params.get("customer") + "\",\"url\":\"https://billing.stripe.com/p/session/test_stub" + n + "\"}";
            case "/v1/billing/meter_events" -> "{\"object\":\"billing.meter_event\",\"created\":" + params.get("timestamp")
                    + ",\"event_name\":\"" + params.get("event_name") + "\",\"identifier\":\"" + params.get("identifier")
                    + "\",\"livemode\":false,\"payload\":{\"stripe_customer_id\":\"" + params.get("payload[stripe_customer_id]")
                    + "\",\"value\":\"" + params.get("payload[value]") + "\"},\"timestamp\":" + params.get("timestamp") + "}";
            default -> null;
        };
        if (json == null) {
            answer(exchange, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request URL\"}}");
        } else {
            answer(exchange, 200, json);
        }
    }

    /** {@code GET .../{id}} reads a session's status; {@code POST .../{id}/expire} expires an open one, as Stripe does. */
    private void session(HttpExchange exchange, String rest) throws IOException {
        boolean expire = rest.endsWith("/expire");
        String id = expire ? rest.substring(0, rest.length() - "/expire".length()) : rest;
        String status = sessionStatus.get(id);
        if (status == null) {
            answer(exchange, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such checkout.session\"}}");
            return;
        }
        if (expire) {
            if (!status.equals("open")) {
                answer(exchange, 400, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Only Checkout"
                        + " Sessions with a status in [\\\"open\\\"] can be expired.\"}}");
                return;
            }
            sessionStatus.put(id, "expired");
            status = "expired";
        }
        answer(exchange, 200, "{\"id\":\"" + id + "\",\"object\":\"checkout.session\",\"mode\":\"subscription\","
                + "\"status\":\"" + status + "\"}");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (!body.isEmpty()) {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(key, value);
            }
        }
        return params;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_stub");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
