package dev.flowline.platform.rest;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id of each request: the client's {@code X-Request-Id} when it is a plain token of at most
 * {@value #MAX_LENGTH} characters (letters, digits, {@code . _ : -}), else a new UUID. It is echoed in the response's
 * {@code X-Request-Id}, carried as {@code requestId} in every problem+json body, and written in the request log and
 * in the log line of a 500, so a client's report finds the server's log lines.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    static final int MAX_LENGTH = 64;

    /** The servlet request attribute holding the id (JAX-RS request properties are the same attributes). */
    static final String ATTRIBUTE = "dev.flowline.requestId";

    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private RequestIds() {
    }

    /** The id of the request being served on this thread; null outside of one. */
    public static String current() {
        return CURRENT.get();
    }

    static void enter(String id) {
        CURRENT.set(id);
    }

    static void leave() {
        CURRENT.remove();
    }

    /**
     * The request's id, assigned on first use (whoever sees the request first: the authentication mechanism, which
     * runs before the servlet filters, or {@link RequestLog}) and echoed in the response header.
     */
    public static String of(HttpServletRequest request, HttpServletResponse response) {
        Object known = request.getAttribute(ATTRIBUTE);
        if (known instanceof String id) {
            return id;
        }
        String id = accept(request.getHeader(HEADER));
        request.setAttribute(ATTRIBUTE, id);
        if (response != null && !response.isCommitted()) {
            response.setHeader(HEADER, id);
        }
        return id;
    }

    /** The client's id if it is acceptable, else a new one. */
    static String accept(String offered) {
        if (offered != null && ACCEPTED.matcher(offered).matches()) {
            return offered;
        }
        return UUID.randomUUID().toString();
    }
}
