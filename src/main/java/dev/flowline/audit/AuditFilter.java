package dev.flowline.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * What a reader asks of the log: one event name, one actor (user id), a time range ({@code since} inclusive,
 * {@code until} exclusive); null is "any".
 */
public record AuditFilter(String event, UUID actorUserId, Instant since, Instant until) {

    public static final AuditFilter ANY = new AuditFilter(null, null, null, null);
}
