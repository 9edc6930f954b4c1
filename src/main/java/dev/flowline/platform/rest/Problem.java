package dev.flowline.platform.rest;

import dev.flowline.platform.errors.FieldError;

import java.util.List;

/**
 * An RFC 9457 problem document. {@code type} is a URI under {@link #TYPE_BASE}; {@code errors} lists field
 * violations and is left out when empty.
 */
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://flowline.dev/problems/";

    public static Problem of(String typeSlug, String title, int status, String detail) {
        return new Problem(TYPE_BASE + typeSlug, title, status, detail, null, null);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, fieldErrors == null || fieldErrors.isEmpty() ? null : fieldErrors);
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, errors);
    }
}
