package dev.flowline.audit;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;

import java.util.List;

/** The audit log's own errors (access is refused by {@code workspaces}' tenancy gate and operator check). */
public final class AuditErrors {

    private AuditErrors() {
    }

    /** A filter the log cannot answer: an event name that is none, an empty time range. */
    public static final class InvalidAuditFilterException extends InvalidInputException {
        public InvalidAuditFilterException(String field, String detail) {
            super("invalid-audit-filter", "Invalid audit filter", detail, List.of(new FieldError(field, detail)));
        }
    }
}
