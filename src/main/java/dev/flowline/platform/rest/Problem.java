package dev.flowline.platform.rest;

import dev.flowline.platform.errors.FieldError;

import java.util.List;

/**
 * An RFC 9457 problem document. {@code type} is a URI under {@link #TYPE_BASE}; {@code errors} lists field
 * violations and is left out when empty; {@code requestId} is the request's {@link RequestIds id}, also in the
 * response's {@code X-Request-Id} and in the server's log lines about it.
 */
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors,
                      String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /**
     * Request attribute holding the problem a filter or the authentication mechanism answered with, for the error
     * page: WildFly follows a mechanism's failure with the container's own error, which replaces the written body.
     */
    public static final String REQUEST_ATTRIBUTE = "dev.flowline.problem";
    public static final String TYPE_BASE = "https://flowline.dev/problems/";

    public static Problem of(String typeSlug, String title, int status, String detail) {
        return new Problem(TYPE_BASE + typeSlug, title, status, detail, null, null, null);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance,
                fieldErrors == null || fieldErrors.isEmpty() ? null : fieldErrors, requestId);
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, errors, requestId);
    }

    public Problem withRequestId(String id) {
        return new Problem(type, title, status, detail, instance, errors, id);
    }
}
