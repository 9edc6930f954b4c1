package dev.flowline.audit.api;

import java.util.List;

/** A page of audit events (as every list answers: {@code nextCursor} is absent on the last page). */
public record AuditPage(List<AuditEventResponse> items, String nextCursor) {
}
