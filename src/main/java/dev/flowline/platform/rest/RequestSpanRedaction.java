package dev.flowline.platform.rest;

import io.opentelemetry.api.trace.Span;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.Provider;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of the server's own request span (MicroProfile Telemetry's JAX-RS instrumentation records the
 * request's URL with its query, and its path): the URL attributes are written again without the query (an OAuth
 * callback's {@code code} and {@code state}, a cursor) and with a resume URL's signature, a capability, replaced by
 * {@code {signature}}. By the path's shape, not the matched route: a resume call refused while matching (a wrong
 * content type) has no route. Runs on the way in and again on the way out (a request refused by an earlier filter
 * still passes there); does nothing when no span records (tracing off).
 */
@Provider
@Priority(2)
public class RequestSpanRedaction implements ContainerRequestFilter, ContainerResponseFilter {

    /** A resume URL's path, its last segment the signature ({@code HooksResource.resume}). */
    private static final Pattern RESUME = Pattern.compile("(.*/hooks/resume/[^/]*/[^/]*/)[^/]*/?");

    @Override
    public void filter(ContainerRequestContext request) {
        redact(request);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        redact(request);
    }

    private static void redact(ContainerRequestContext request) {
        Span span = Span.current();
        if (!span.isRecording()) {
            return;
        }
        UriInfo uri = request.getUriInfo();
        URI requested = uri.getRequestUri();
        String path = redacted(requested.getRawPath());
        String url = requested.getScheme() + "://" + requested.getRawAuthority() + path;
        // both generations of HTTP semantic conventions: Payara 6 writes http.url and http.target, newer ones url.*
        span.setAttribute("http.url", url);
        span.setAttribute("http.target", path);
        span.setAttribute("url.full", url);
        span.setAttribute("url.path", path);
        if (requested.getRawQuery() != null) {
            span.setAttribute("url.query", "");
        }
    }

    static String redacted(String path) {
        Matcher resume = RESUME.matcher(path == null ? "" : path);
        return resume.matches() ? resume.group(1) + "{signature}" : path;
    }
}
