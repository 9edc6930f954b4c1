package dev.flowline.engine.nodes;

import dev.flowline.connections.CredentialOrigins;
import dev.flowline.platform.json.Jsons;
import dev.flowline.workflows.definition.SecretNames;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Runs an {@code http.request} node: sends the request its (already template-resolved) params describe and answers
 * {@code {"status", "headers", "body"}} for the next nodes.
 *
 * <p>Tenants choose the URL, so every address is checked by the {@link AddressPolicy}, and checked where it is
 * used: the client's {@link DnsResolver} resolves the name, checks every address and hands exactly those addresses
 * to the connection, so no second lookup (DNS rebinding) can swap in a private address after the check. The client
 * never follows redirects itself (each hop is a new checked request), uses no proxy (a proxy would resolve names
 * itself), keeps no cookies between requests (tenants share it) and never retries on its own (the engine's retry
 * policy does). Response bodies are capped at {@code maxResponseBytes} while they stream in, and each hop (connect,
 * headers and body together) is cancelled when it passes {@code timeoutSeconds}. HTTP/1.1 only.
 *
 * <p>A connection's token or a credential ({@link SentCredential}) is attached only to hops whose origin it allows:
 * a first request elsewhere fails without being sent, a redirect elsewhere goes on without it. Headers whose name
 * says they hold a secret ({@link SecretNames}) are likewise not carried to another origin.
 *
 * <p>Thread-safe: one instance (one connection pool) serves all workers; {@link #close()} releases it.
 */
public final class HttpRequestNode implements AutoCloseable {

    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    private static final int CONNECT_TIMEOUT_SECONDS = 10;
    /** The client span's attributes, as OpenTelemetry's semantic conventions name them. */
    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Framing and routing headers the client owns; a tenant setting them would break or smuggle requests. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** Looks a host name up; a seam for tests (a name server that answers differently each time). */
    @FunctionalInterface
    public interface HostLookup {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    private final AddressPolicy policy;
    private final int maxResponseBytes;
    private final int maxRedirects;
    private final CloseableHttpClient client;
    private final Tracer tracer;
    /** Cancels hops that pass their time; one daemon thread for all requests. */
    private final ScheduledExecutorService deadlines;

    public HttpRequestNode(AddressPolicy policy, int maxResponseBytes, int maxRedirects) {
        this(policy, maxResponseBytes, maxRedirects, OpenTelemetry.noop().getTracer("dev.flowline"));
    }

    /** @param tracer makes a client span of each request sent, whose trace context the request carries */
    public HttpRequestNode(AddressPolicy policy, int maxResponseBytes, int maxRedirects, Tracer tracer) {
        this(policy, InetAddress::getAllByName, maxResponseBytes, maxRedirects, CONNECT_TIMEOUT_SECONDS, tracer);
    }

    HttpRequestNode(AddressPolicy policy, HostLookup lookup, int maxResponseBytes, int maxRedirects,
                    int connectTimeoutSeconds) {
        this(policy, lookup, maxResponseBytes, maxRedirects, connectTimeoutSeconds,
                OpenTelemetry.noop().getTracer("dev.flowline"));
    }

    HttpRequestNode(AddressPolicy policy, HostLookup lookup, int maxResponseBytes, int maxRedirects,
                    int connectTimeoutSeconds, Tracer tracer) {
        if (maxResponseBytes < 0 || maxRedirects < 0) {
            throw new IllegalArgumentException("maxResponseBytes and maxRedirects must not be negative");
        }
        this.policy = Objects.requireNonNull(policy, "policy");
        this.maxResponseBytes = maxResponseBytes;
        this.maxRedirects = maxRedirects;
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckedResolver(policy, Objects.requireNonNull(lookup, "lookup")))
                        .setMaxConnTotal(256)
                        .setMaxConnPerRoute(64)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(connectTimeoutSeconds))
                                // a pooled connection the server closed meanwhile is found before it is
                                // used (a 1 ms read), not by a failed request: the client retries nothing
                                .setValidateAfterInactivity(TimeValue.ZERO_MILLISECONDS)
                                .setTimeToLive(TimeValue.ofMinutes(5))
                                .build())
                        .build())
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableAutomaticRetries()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = Executors.defaultThreadFactory().newThread(task);
            thread.setName("flowline-http-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.deadlines = timer;
    }

    /**
     * Sends the request, following redirects itself.
     *
     * @param attempt        1 for the first try; it does not change the request, so a retry sends the same bytes
     * @param idempotencyKey sent as {@code Idempotency-Key} (unless the params set that header) so that the receiver
     *                       can recognise a retried step; null to send none
     * @throws StepFailedException retryable for 5xx, 408, 429, timeouts and I/O errors; not retryable for other
     *                             4xx, refused addresses, too many redirects, an oversized response, a credential's
     *                             origin refused or bad params. Messages never hold header values or the URL's path and
     *                             query (they may hold secrets), only the host or origin.
     */
    public JsonObject send(JsonObject params, int attempt, String idempotencyKey) {
        return send(params, attempt, idempotencyKey, Optional.empty());
    }

    /**
     * As {@link #send(JsonObject, int, String)}, attaching {@code credential} (its headers replace same-named headers
     * of the params) to every hop whose origin it allows.
     *
     * @throws StepFailedException not retryable when the request's own URL is outside the credential's origins
     */
    public JsonObject send(JsonObject params, int attempt, String idempotencyKey,
                           Optional<SentCredential> credential) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1");
        }
        URI uri = url(params);
        String method = method(params);
        int timeoutSeconds = timeoutSeconds(params);
        Map<String, String> headers = headers(params, idempotencyKey);
        JsonValue body = params.get("body");
        if (body == JsonValue.NULL) {
            body = null;
        }
        if (credential.isPresent() && !credential.get().origins().allows(uri)) {
            throw new StepFailedException(credential.get().name() + " may not be sent to "
                    + CredentialOrigins.originOf(uri) + ": that origin is not in " + credential.get().setting()
                    + "; the request was not sent", false);
        }
        for (int hop = 0; ; hop++) {
            URI current = uri;
            Optional<SentCredential> attached = credential.filter(sent -> sent.origins().allows(current));
            Response response = exchange(uri, method, withCredential(headers, attached), withQuery(uri, attached),
                    body, timeoutSeconds);
            if (!REDIRECTS.contains(response.status()) || response.location() == null) {
                return answer(uri, response);
            }
            if (hop >= maxRedirects) {
                throw new StepFailedException("more than " + maxRedirects + " redirects, the last from "
                        + uri.getHost(), false);
            }
            URI next = redirectTarget(uri, response.location());
            int status = response.status();
            boolean becomesGet = (status == 303 && !"HEAD".equals(method))
                    || ((status == 301 || status == 302) && "POST".equals(method));
            if (becomesGet) {
                method = "GET";
                body = null;
                headers.keySet().removeIf(name -> name.equalsIgnoreCase("content-type"));
            }
            if (!sameOrigin(uri, next)) {
                headers.keySet().removeIf(SecretNames::isSecret);
            }
            uri = next;
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        client.close(CloseMode.GRACEFUL);
    }

    private static Map<String, String> withCredential(Map<String, String> headers, Optional<SentCredential> sent) {
        if (sent.isEmpty()) {
            return headers;
        }
        Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers);
        all.putAll(sent.get().headers());
        return all;
    }

    /** {@code uri} with the credential's query parameters appended (the redirects are resolved against the bare one). */
    private static URI withQuery(URI uri, Optional<SentCredential> sent) {
        if (sent.isEmpty() || sent.get().queryParameters().isEmpty()) {
            return uri;
        }
        StringBuilder text = new StringBuilder(uri.toString()).append(uri.getRawQuery() == null ? '?' : '&');
        String separator = "";
        for (Map.Entry<String, String> parameter : new TreeMap<>(sent.get().queryParameters()).entrySet()) {
            text.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
            separator = "&";
        }
        return URI.create(text.toString());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * One hop, in a client span (the current span's child: the step's) whose W3C {@code traceparent} the request
     * carries, so the called service can continue the trace. The span records the method, the URL without its
     * query (the credential's parameters and any other secret a query holds) and the status; never a header.
     */
    private Response exchange(URI uri, String method, Map<String, String> headers, URI target, JsonValue body,
                              int timeoutSeconds) {
        Span span = tracer.spanBuilder(method)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(HTTP_METHOD, method)
                .setAttribute(URL_FULL, withoutQuery(uri))
                .setAttribute(SERVER_ADDRESS, String.valueOf(uri.getHost()))
                .setAttribute(SERVER_PORT, (long) port(uri))
                .startSpan();
        try (Scope scope = span.makeCurrent()) {
            Response response = exchange(uri, method, headers, target, body, timeoutSeconds, span);
            span.setAttribute(HTTP_STATUS, (long) response.status());
            if (response.status() >= 400) {
                span.setStatus(StatusCode.ERROR);
            }
            return response;
        } catch (RuntimeException e) {
            // the class only: a failure's message may quote what the server sent
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    /** {@code uri} as a span may record it: scheme, host, port and path; no user info, query or fragment. */
    static String withoutQuery(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return uri.getScheme() + "://" + uri.getHost();
        }
    }

    private Response exchange(URI uri, String method, Map<String, String> headers, URI target, JsonValue body,
                              int timeoutSeconds, Span span) {
        checkLiteral(uri.getHost());
        HttpUriRequestBase request = request(target, method, headers, body, timeoutSeconds);
        // after the params' headers: a traceparent of the workflow's own is replaced by the trace it runs in
        W3CTraceContextPropagator.getInstance().inject(Context.current().with(span), request, HttpUriRequestBase::setHeader);
        AtomicBoolean expired = new AtomicBoolean();
        // The response timeout bounds each read; this bounds the whole hop, a body that trickles in included.
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            expired.set(true);
            request.cancel();
        }, timeoutSeconds, TimeUnit.SECONDS);
        try {
            return client.execute(request, response -> read(response));
        } catch (IOException | RuntimeException e) {
            if (e instanceof StepFailedException step) {
                throw step;
            }
            throw expired.get() ? timedOut(uri, timeoutSeconds, e) : failure(uri, timeoutSeconds, e);
        } finally {
            deadline.cancel(false);
        }
    }

    /** An address literal never reaches the resolver in some client paths: check it here (no lookup needed). */
    private void checkLiteral(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (bare.contains(":") || Pattern.matches("\\d{1,3}(\\.\\d{1,3}){3}", bare)) {
            policy.check(host, policy.resolve(bare));
        }
    }

    private Response read(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        byte[] bytes = new byte[0];
        if (entity != null) {
            if (entity.getContentLength() > maxResponseBytes) {
                throw new ResponseTooLargeException(maxResponseBytes);
            }
            try (InputStream in = entity.getContent()) {
                bytes = in.readNBytes(maxResponseBytes + 1);
            }
            if (bytes.length > maxResponseBytes) {
                throw new ResponseTooLargeException(maxResponseBytes);
            }
        }
        Map<String, String> headers = new TreeMap<>();
        for (Header header : response.getHeaders()) {
            headers.putIfAbsent(header.getName().toLowerCase(Locale.ROOT), header.getValue());
        }
        return new Response(response.getCode(), headers, bytes);
    }

    /** A response as read: lower-case header names (first value of each), the capped body. */
    private record Response(int status, Map<String, String> headers, byte[] body) {
        String location() {
            return headers.get("location");
        }
    }

    private static StepFailedException failure(URI uri, int timeoutSeconds, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && !(root instanceof ResponseTooLargeException)
                && !(root instanceof RefusedAddressException) && !(root instanceof SocketTimeoutException)
                && !(root instanceof ConnectTimeoutException) && !(root instanceof ConnectException)
                && !(root instanceof UnknownHostException)) {
            root = root.getCause();
        }
        if (root instanceof RefusedAddressException refused) {
            return refused.refusal;
        }
        if (root instanceof ResponseTooLargeException tooLarge) {
            return new StepFailedException("response from " + uri.getHost() + " larger than " + tooLarge.cap
                    + " bytes", false, cause);
        }
        if (root instanceof SocketTimeoutException || root instanceof ConnectTimeoutException) {
            return timedOut(uri, timeoutSeconds, cause);
        }
        if (root instanceof ConnectException) {
            return new StepFailedException("could not connect to " + uri.getHost(), true, cause);
        }
        if (root instanceof UnknownHostException) {
            return new StepFailedException("could not resolve host " + uri.getHost(), true, cause);
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

    @SuppressWarnings("deprecation") // a per-request connect timeout: ConnectionConfig's is per pool
    private static HttpUriRequestBase request(URI uri, String method, Map<String, String> headers, JsonValue body,
                                              int timeoutSeconds) {
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        request.setConfig(RequestConfig.custom()
                .setConnectTimeout(Timeout.ofSeconds(Math.min(timeoutSeconds, CONNECT_TIMEOUT_SECONDS)))
                .setConnectionRequestTimeout(Timeout.ofSeconds(timeoutSeconds))
                .setResponseTimeout(Timeout.ofSeconds(timeoutSeconds))
                .build());
        headers.forEach((name, value) -> {
            if (!HEADER_NAME.matcher(name).matches() || RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                    || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                // A line break from a template could inject headers: name only, the value may be a secret.
                throw new StepFailedException("header " + name + " cannot be sent", false);
            }
            request.setHeader(name, value);
        });
        if (body != null) {
            String contentType = headers.get("content-type"); // the map ignores case
            byte[] bytes;
            if (body instanceof JsonString text) {
                if (contentType == null) {
                    request.setHeader("Content-Type", "text/plain; charset=UTF-8");
                }
                bytes = text.getString().getBytes(charset(contentType).orElse(StandardCharsets.UTF_8));
            } else {
                if (contentType == null) {
                    request.setHeader("Content-Type", "application/json");
                }
                bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            }
            request.setEntity(new ByteArrayEntity(bytes, null));
        }
        return request;
    }

    private JsonObject answer(URI uri, Response response) {
        int status = response.status();
        if (status >= 500 || status == 408 || status == 429) {
            throw new StepFailedException(uri.getHost() + " answered HTTP " + status, true);
        }
        if (status >= 400) {
            throw new StepFailedException(uri.getHost() + " answered HTTP " + status, false);
        }
        JsonObjectBuilder headerObject = Jsons.createObjectBuilder();
        response.headers().forEach(headerObject::add);
        return Jsons.createObjectBuilder()
                .add("status", status)
                .add("headers", headerObject)
                .add("body", body(response.body(), response.headers().get("content-type")))
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

    /** Thrown while reading when the response outgrows the cap. */
    private static final class ResponseTooLargeException extends IOException {
        final int cap;

        ResponseTooLargeException(int cap) {
            super("response larger than " + cap + " bytes");
            this.cap = cap;
        }
    }

    /** The resolver's refusal, carried through the client as the {@link UnknownHostException} it may throw. */
    private static final class RefusedAddressException extends UnknownHostException {
        final StepFailedException refusal;

        RefusedAddressException(StepFailedException refusal) {
            super(refusal.getMessage());
            this.refusal = refusal;
        }
    }

    /**
     * The one lookup of a connection: resolves, checks every address against the policy, and answers exactly the
     * checked addresses for the client to connect to.
     */
    private record CheckedResolver(AddressPolicy policy, HostLookup lookup) implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            if (host == null || host.isBlank()) {
                throw new RefusedAddressException(new StepFailedException("the URL has no host", false));
            }
            InetAddress[] addresses = lookup.lookup(host);
            try {
                policy.check(host, List.of(addresses));
            } catch (StepFailedException refused) {
                throw new RefusedAddressException(refused);
            }
            return addresses.clone();
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host; // no reverse lookups: the name the tenant gave is the one checked
        }
    }
}
