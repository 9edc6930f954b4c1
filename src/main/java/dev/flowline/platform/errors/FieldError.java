package dev.flowline.platform.errors;

/** One invalid field of a request: {@code field} is a dotted path into the body, or a parameter name. */
public record FieldError(String field, String message) {
}
