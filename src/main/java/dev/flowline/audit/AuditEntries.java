package dev.flowline.audit;

import dev.flowline.platform.json.Jsons;
import dev.flowline.platform.security.Actor;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns what an area fired into the row the log keeps: the stable event name checked, the time at the database's
 * precision (so that a cursor made from an answered event finds it again), the fields as JSON with anything named like
 * a secret left out, whatever an area put there by mistake.
 */
final class AuditEntries {

    /** {@code area.what_happened}, as {@code workflow.updated} or {@code account.sign_in_failed}. */
    static final Pattern EVENT_NAME = Pattern.compile("[a-z][a-z_]{1,30}\\.[a-z][a-z_]{1,30}");

    /** Field names never recorded, in any case: their values are secrets or lead to one. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(secret|token|password|apikey|api_key|authorization"
            + "|credentialvalue|cookie).*");

    private AuditEntries() {
    }

    /** Where the change came from: the client address and request id of the HTTP request, or neither. */
    record Origin(String clientAddress, String requestId) {
        static final Origin NONE = new Origin(null, null);
    }

    static AuditEvent entry(Instant now, String event, Actor actor, String actorEmail, UUID accountId, UUID workspaceId,
                            String objectType, UUID objectId, Origin origin, Map<String, Object> before,
                            Map<String, Object> after) {
        if (event == null || !EVENT_NAME.matcher(event).matches()) {
            throw new IllegalArgumentException("Not a stable audit event name: " + event);
        }
        return new AuditEvent(UUID.randomUUID(), now.truncatedTo(ChronoUnit.MICROS), event, actor.kind(),
                actor.userId(), actorEmail, accountId, workspaceId, objectType, objectId,
                cut(origin.clientAddress(), 64), cut(origin.requestId(), 64), json(before), json(after));
    }

    /** Plain values as JSON: numbers and booleans as such, everything else (ids, times, enums) as its text. */
    static JsonObject json(Map<String, Object> fields) {
        JsonObjectBuilder json = Jsons.createObjectBuilder();
        if (fields == null) {
            return json.build();
        }
        fields.forEach((name, value) -> {
            if (isSecretName(name)) {
                return;
            }
            if (value == null) {
                json.addNull(name);
            } else if (value instanceof Boolean b) {
                json.add(name, b);
            } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
                json.add(name, ((Number) value).longValue());
            } else if (value instanceof Number n) {
                json.add(name, n.doubleValue());
            } else {
                json.add(name, value.toString());
            }
        });
        return json.build();
    }

    static boolean isSecretName(String name) {
        String plain = name.toLowerCase(Locale.ROOT).replace("-", "");
        // "secret": "replaced" says a secret changed, not what it is
        return !plain.equals("secret") && SECRET_NAME.matcher(plain).matches();
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
