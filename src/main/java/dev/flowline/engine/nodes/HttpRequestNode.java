package dev.flowline.engine.nodes;

import dev.flowline.platform.json.Jsons;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an {@code http.request} node: sends the request its (already template-resolved) params describe and answers
 * {@code {"status", "headers", "body"}} for the next nodes.
 *
 * <p>Tenants choose the URL, so every hop is checked by the {@link AddressPolicy} before connecting: the client
 * never follows redirects itself ({@code Redirect.NEVER}) and uses no proxy (a proxy would resolve names itself,
 * out of the policy's sight). Response bodies are capped at {@code maxResponseBytes} while they stream in, and each
 * hop (headers and body together) must finish within {@code timeoutSeconds}.
 *
 * <p><b>DNS rebinding.</b> This class resolves the host and checks the addresses, then {@link HttpClient} resolves
 * the name again when it connects; a name server answering a public address first and a private one second could
 * slip through between the two. Java 17's client offers no way to hand it the checked address (connecting to the
 * literal address would break TLS name checks and {@code Host} is a restricted header), so the window is narrowed,
 * not closed: both lookups go through {@link java.net.InetAddress}'s cache, which keeps a successful answer for
 * {@code networkaddress.cache.ttl} (30 s by default) whatever TTL the attacker's DNS record says, so the client
 * connects to the address just checked unless the entry expires in the milliseconds between the two lookups.
 * Do not set that property to 0; a network-level egress rule is the complete defence.
 *
 * <p>Thread-safe: one instance (one connection pool) serves all workers.
 */
public final class HttpRequestNode {

    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Not sent to another origin after a redirect, as browsers and curl do. */
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

    private final AddressPolicy policy;
    private final int maxResponseBytes;
    private final int maxRedirects;
    private final HttpClient client;

    public HttpRequestNode(AddressPolicy policy, int maxResponseBytes, int maxRedirects) {
        if (maxResponseBytes < 0 || maxRedirects < 0) {
            throw new IllegalArgumentException("maxResponseBytes and maxRedirects must not be negative");
        }
        this.policy = Objects.requireNonNull(policy, "policy");
        this.maxResponseBytes = maxResponseBytes;
        this.maxRedirects = maxRedirects;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2) // falls back to HTTP/1.1 when the server does not offer 2
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * Sends the request, following redirects itself.
     *
     * @param attempt        1 for the first try; it does not change the request, so a retry sends the same bytes
     * @param idempotencyKey sent as {@code Idempotency-Key} (unless the params set that header) so that the receiver
     *                       can recognise a retried step; null to send none
     * @throws StepFailedException retryable for 5xx, 408, 429, timeouts and I/O errors; not retryable for other
     *                             4xx, refused addresses, too many redirects, an oversized response or bad params.
     *                             Messages never hold header values or the URL's path and query (they may hold
     *                             secrets), only the host.
     */
    public JsonObject send(JsonObject params, int attempt, String idempotencyKey) {
        return send(params, attempt, idempotencyKey, Optional.empty());
    }

    /**
     * As {@link #send(JsonObject, int, String)}, with {@code bearerToken} (a connection's access token) sent as
     * {@code Authorization: Bearer}, replacing an {@code Authorization} header of the params. Like every credential
     * header it is dropped on a redirect to another origin.
     */
    public JsonObject send(JsonObject params, int attempt, String idempotencyKey, Optional<String> bearerToken) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1");
        }
        URI uri = url(params);
        String method = method(params);
        int timeoutSeconds = timeoutSeconds(params);
        Map<String, String> headers = headers(params, idempotencyKey);
        bearerToken.ifPresent(token -> headers.put("Authorization", "Bearer " + token));
        JsonValue body = params.get("body");
        if (body == JsonValue.NULL) {
            body = null;
        }
        for (int hop = 0; ; hop++) {
            checkAddress(uri.getHost());
            HttpResponse<byte[]> response = exchange(uri, method, headers, body, timeoutSeconds);
            Optional<String> location = response.headers().firstValue("location");
            if (!REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
                return answer(uri, response);
            }
            if (hop >= maxRedirects) {
                throw new StepFailedException("more than " + maxRedirects + " redirects, the last from "
                        + uri.getHost(), false);
            }
            URI next = redirectTarget(uri, location.get());
            int status = response.statusCode();
            boolean becomesGet = (status == 303 && !"HEAD".equals(method))
                    || ((status == 301 || status == 302) && "POST".equals(method));
            if (becomesGet) {
                method = "GET";
                body = null;
                headers.keySet().removeIf(name -> name.equalsIgnoreCase("content-type"));
            }
            if (!sameOrigin(uri, next)) {
                headers.keySet().removeIf(name -> CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT)));
            }
            uri = next;
        }
    }

    private void checkAddress(String host) {
        policy.check(host, policy.resolve(host));
    }

    private HttpResponse<byte[]> exchange(URI uri, String method, Map<String, String> headers, JsonValue body,
                                          int timeoutSeconds) {
        HttpRequest request = request(uri, method, headers, body, timeoutSeconds);
        CompletableFuture<HttpResponse<byte[]>> future =
                client.sendAsync(request, info -> new CappedBody(maxResponseBytes, info));
        try {
            // HttpRequest.timeout covers only the wait for the headers; this also bounds a body that trickles in.
            return future.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timedOut(uri, timeoutSeconds, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StepFailedException("interrupted while calling " + uri.getHost(), true, e);
        } catch (CancellationException e) {
            throw new StepFailedException("request to " + uri.getHost() + " was cancelled", true, e);
        } catch (ExecutionException e) {
            throw failure(uri, timeoutSeconds, e.getCause());
        }
    }

    private static StepFailedException failure(URI uri, int timeoutSeconds, Throwable cause) {
        // The client may wrap the cause (CompletionException, IOException around an IOException).
        Throwable root = cause;
        while (root.getCause() != null && !(root instanceof ResponseTooLargeException)
                && !(root instanceof HttpTimeoutException) && !(root instanceof ConnectException)) {
            root = root.getCause();
        }
        if (root instanceof ResponseTooLargeException tooLarge) {
            return new StepFailedException("response from " + uri.getHost() + " larger than " + tooLarge.cap
                    + " bytes", false, cause);
        }
        if (root instanceof HttpTimeoutException) {
            return timedOut(uri, timeoutSeconds, cause);
        }
        if (root instanceof ConnectException) {
            return new StepFailedException("could not connect to " + uri.getHost(), true, cause);
        }
        if (root instanceof IOException || cause instanceof IOException) {
            // Only the class: an I/O message may quote what the server sent.
            return new StepFailedException("I/O error calling " + uri.getHost() + " ("
                    + root.getClass().getSimpleName() + ")", true, cause);
        }
        return new StepFailedException("request to " + uri.getHost() + " failed ("
                + root.getClass().getSimpleName() + ")", false, cause);
    }

    private static StepFailedException timedOut(URI uri, int timeoutSeconds, Throwable cause) {
        return new StepFailedException("request to " + uri.getHost() + " timed out after " + timeoutSeconds + " s",
                true, cause);
    }

    private static HttpRequest request(URI uri, String method, Map<String, String> headers, JsonValue body,
                                       int timeoutSeconds) {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(uri);
        } catch (IllegalArgumentException e) {
            throw new StepFailedException("the url is not supported", false, e);
        }
        // HTTP/2 over TLS when the server offers it (ALPN); plain http stays HTTP/1.1, as the client's h2c upgrade
        // attempt trips up some servers.
        builder.version("https".equalsIgnoreCase(uri.getScheme()) ? HttpClient.Version.HTTP_2
                : HttpClient.Version.HTTP_1_1);
        builder.timeout(Duration.ofSeconds(timeoutSeconds));
        headers.forEach((name, value) -> {
            try {
                builder.setHeader(name, value);
            } catch (IllegalArgumentException e) {
                // Restricted (Host, Connection, Content-Length...) or a line break from a template: name only.
                throw new StepFailedException("header " + name + " cannot be sent", false, e);
            }
        });
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
        if (body != null) {
            String contentType = headers.get("content-type"); // the map ignores case
            if (body instanceof JsonString text) {
                if (contentType == null) {
                    builder.setHeader("Content-Type", "text/plain; charset=UTF-8");
                }
                publisher = HttpRequest.BodyPublishers.ofString(text.getString(),
                        charset(contentType).orElse(StandardCharsets.UTF_8));
            } else {
                if (contentType == null) {
                    builder.setHeader("Content-Type", "application/json");
                }
                publisher = HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8);
            }
        }
        return builder.method(method, publisher).build();
    }

    private JsonObject answer(URI uri, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status >= 500 || status == 408 || status == 429) {
            throw new StepFailedException(uri.getHost() + " answered HTTP " + status, true);
        }
        if (status >= 400) {
            throw new StepFailedException(uri.getHost() + " answered HTTP " + status, false);
        }
        Map<String, String> headers = new TreeMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !values.isEmpty()) {
                headers.putIfAbsent(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        JsonObjectBuilder headerObject = Jsons.createObjectBuilder();
        headers.forEach(headerObject::add);
        return Jsons.createObjectBuilder()
                .add("status", status)
                .add("headers", headerObject)
                .add("body", body(response.body(), response.headers().firstValue("content-type").orElse(null)))
                .build();
    }

    /** JSON when the server says so and it parses; otherwise the text; null when there is nothing. */
    static JsonValue body(byte[] bytes, String contentType) {
        if (bytes.length == 0) {
            return JsonValue.NULL;
        }
        String text = new String(bytes, charset(contentType).orElse(StandardCharsets.UTF_8));
        if (isJson(contentType)) {
            try (JsonReader reader = Jsons.createReader(new StringReader(text))) {
                return reader.readValue();
            } catch (JsonException e) {
                // The server mislabelled it: the text is still worth passing on.
            }
        }
        return Jsons.createValue(text);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }

    private static Optional<Charset> charset(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] pair = parts[i].split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
                String name = pair[1].strip().replace("\"", "");
                try {
                    return Optional.of(Charset.forName(name));
                } catch (IllegalArgumentException e) {
                    return Optional.empty(); // unknown or illegal charset name: fall back to UTF-8
                }
            }
        }
        return Optional.empty();
    }

    private static URI url(JsonObject params) {
        if (!(params.get("url") instanceof JsonString url)) {
            throw new StepFailedException("url is missing", false);
        }
        try {
            URI uri = new URI(url.getString());
            return checkWebUri(uri, "the url");
        } catch (URISyntaxException e) {
            // Not the URL itself: a template may have put a secret into it.
            throw new StepFailedException("the url is not a valid URL", false, e);
        }
    }

    private static URI redirectTarget(URI current, String location) {
        try {
            return checkWebUri(current.resolve(new URI(location)), "a redirect from " + current.getHost());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new StepFailedException("a redirect from " + current.getHost() + " has an invalid Location",
                    false, e);
        }
    }

    private static URI checkWebUri(URI uri, String what) throws URISyntaxException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.isOpaque()) {
            throw new StepFailedException(what + " is not an absolute http:// or https:// URL", false);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new StepFailedException(what + " has no valid host name", false);
        }
        if (uri.getRawUserInfo() != null) {
            throw new StepFailedException(what + " must not hold credentials; send them in a header", false);
        }
        // The fragment is never sent; an empty path becomes "/" (URI.resolve mishandles "http://host" + "x").
        String text = uri.toString();
        if (uri.getRawFragment() != null) {
            text = text.substring(0, text.indexOf('#'));
        }
        if (uri.getRawPath() == null || uri.getRawPath().isEmpty()) {
            int query = text.indexOf('?');
            text = query < 0 ? text + "/" : text.substring(0, query) + "/" + text.substring(query);
        }
        return new URI(text);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static String method(JsonObject params) {
        JsonValue value = params.get("method");
        if (value == null || value == JsonValue.NULL) {
            return "GET";
        }
        if (value instanceof JsonString method && METHODS.contains(method.getString())) {
            return method.getString();
        }
        throw new StepFailedException("method must be one of GET, POST, PUT, PATCH, DELETE, HEAD", false);
    }

    private static int timeoutSeconds(JsonObject params) {
        JsonValue value = params.get("timeoutSeconds");
        if (value == null || value == JsonValue.NULL) {
            return DEFAULT_TIMEOUT_SECONDS;
        }
        if (value instanceof JsonNumber number && number.isIntegral()
                && number.longValue() >= 1 && number.longValue() <= 120) {
            return number.intValue();
        }
        throw new StepFailedException("timeoutSeconds must be a whole number of seconds from 1 to 120", false);
    }

    /** Case-insensitive: a header set in the params replaces the defaults rather than doubling them. */
    private static Map<String, String> headers(JsonObject params, String idempotencyKey) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("User-Agent", "Flowline");
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        JsonValue value = params.get("headers");
        if (value == null || value == JsonValue.NULL) {
            return headers;
        }
        if (!(value instanceof JsonObject object)) {
            throw new StepFailedException("headers must be an object of strings", false);
        }
        object.forEach((name, headerValue) -> {
            if (!(headerValue instanceof JsonString string)) {
                throw new StepFailedException("header " + name + " must be a string", false);
            }
            headers.put(name, string.getString());
        });
        return headers;
    }

    /** Thrown inside the body subscriber when the response outgrows the cap. */
    private static final class ResponseTooLargeException extends IOException {
        final int cap;

        ResponseTooLargeException(int cap) {
            super("response larger than " + cap + " bytes");
            this.cap = cap;
        }
    }

    /**
     * Collects the body up to {@code cap} bytes and cancels the exchange beyond it, so that a huge or endless body
     * costs at most the cap in memory. A declared {@code Content-Length} over the cap fails before reading.
     */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final int cap;
        private final long declaredLength;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        CappedBody(int cap, HttpResponse.ResponseInfo info) {
            this.cap = cap;
            this.declaredLength = info.headers().firstValueAsLong("content-length").orElse(-1);
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declaredLength > cap) {
                subscription.cancel();
                result.completeExceptionally(new ResponseTooLargeException(cap));
                return;
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + (long) buffer.remaining() > cap) {
                    subscription.cancel();
                    result.completeExceptionally(new ResponseTooLargeException(cap));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
