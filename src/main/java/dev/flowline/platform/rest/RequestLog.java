package dev.flowline.platform.rest;

import dev.flowline.platform.json.Jsons;
import dev.flowline.platform.metrics.Meters;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One log line per request (method, route template, status, duration, request id) and the HTTP metrics at
 * {@code /metrics}: {@code flowline_http_requests_seconds} (count, sum, max and quantiles) tagged with the route
 * template, the method and the status class ({@code 2xx} ... {@code 5xx}). Paths are never logged (they hold ids, and
 * query strings may hold tokens), nor headers or bodies. Assigns the request id ({@link RequestIds}).
 * <p>
 * {@code flowline.http.request-log}: {@code text} (default), {@code json} (one JSON object per line, for log
 * shippers) or {@code off}. Requests refused by the authentication mechanism before the servlet filters (an invalid
 * session token) are neither logged nor counted here; their problem still carries the request id.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class RequestLog extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(RequestLog.class.getName());
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** The route of requests no operation matched (unknown paths, paths outside the API). */
    static final String UNMATCHED = "unmatched";

    @Inject
    @ConfigProperty(name = "flowline.http.request-log", defaultValue = "text")
    String format;

    @Inject
    Meters meters;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id = RequestIds.of(request, response);
        RequestIds.enter(id);
        long started = System.nanoTime();
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            RequestIds.leave();
            // an exception that escapes becomes the error page's 500 after this filter returns
            int status = failed ? 500 : response.getStatus();
            finished(request.getMethod(), route(request), status, System.nanoTime() - started, id);
        }
    }

    private void finished(String requestMethod, String route, int status, long nanos, String id) {
        String method = METHODS.contains(requestMethod) ? requestMethod : "OTHER";
        meters.record("flowline_http_requests", "HTTP requests to the API by route template, method and status class,"
                + " and how long they took", Duration.ofNanos(nanos), "route", route, "method", method, "status",
                status / 100 + "xx");
        switch (format.strip().toLowerCase(Locale.ROOT)) {
            case "off" -> {
            }
            case "json" -> LOG.info(Jsons.createObjectBuilder().add("requestId", id).add("method", method)
                    .add("route", route).add("status", status).add("durationMs", millis(nanos)).build().toString());
            default -> LOG.info(String.format(Locale.ROOT, "%s %s %d %.1fms requestId=%s", method, route, status,
                    nanos / 1e6, id));
        }
    }

    private static String route(HttpServletRequest request) {
        Object route = request.getAttribute(RouteTemplates.ATTRIBUTE);
        return route instanceof String template ? template : UNMATCHED;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e5) / 10.0;
    }
}
