package dev.flowline.workflows.definition;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rule that says a header or query parameter carries a secret by its name: {@code Authorization},
 * {@code Cookie}, {@code Proxy-Authorization}, or a name containing {@code token}, {@code secret}, {@code key},
 * {@code password}, {@code signature} or {@code session} (any case: {@code X-Api-Key}, {@code access_token},
 * {@code X-Hub-Signature}). Definitions may not hold such a value as literal text (it belongs in a credential);
 * values that templates put there are redacted in recorded steps and not carried across a redirect to another
 * origin. Broad on purpose: redacting a harmless {@code sort_key} costs nothing, sending a secret costs a lot. The
 * one exception is {@code Idempotency-Key}: a request's identity, never a secret, which APIs such as Stripe expect
 * to be set and to follow a redirect (the engine sets it on every request itself).
 */
public final class SecretNames {

    /** What a redacted value reads as in a recorded step. */
    public static final String REDACTED = "[redacted]";

    private static final Set<String> EXACT = Set.of("authorization", "cookie", "proxy-authorization");
    private static final List<String> PARTS = List.of("token", "secret", "key", "password", "signature", "session");
    private static final Set<String> NOT_SECRET = Set.of("idempotency-key");

    private SecretNames() {
    }

    public static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !NOT_SECRET.contains(lower) && (EXACT.contains(lower) || PARTS.stream().anyMatch(lower::contains));
    }
}
