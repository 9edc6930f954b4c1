package dev.flowline.platform.rest;

import jakarta.ws.rs.core.UriInfo;

import java.util.regex.Pattern;

/**
 * The request path for a problem's {@code instance}, without the query string (which may carry tokens); and for a
 * log line, also without the signature of a resume URL ({@code /hooks/resume/<run>/<node>/<signature>}), which is
 * a credential.
 */
final class RequestPaths {

    private static final Pattern CAPABILITY = Pattern.compile("(/hooks/resume/[^/]*/[^/]*/)[^/]+");

    private RequestPaths() {
    }

    static String path(UriInfo uriInfo) {
        try {
            return uriInfo == null ? null : uriInfo.getRequestUri().getRawPath();
        } catch (RuntimeException outsideOfRequest) {
            return null;
        }
    }

    /** {@code path} as a log line may show it: a resume URL's signature replaced by {@code [redacted]}. */
    static String loggable(String path) {
        return path == null ? null : CAPABILITY.matcher(path).replaceAll("$1[redacted]");
    }
}
