package dev.flowline.users;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.json.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;

/**
 * Applies a JSON merge patch (RFC 7386) from a user to their settings. The {@code billing} key belongs to the
 * billing area: a patch that names it is refused, and the stored value always survives the patch.
 */
public final class SettingsPatch {

    public static final String BILLING = "billing";

    private SettingsPatch() {
    }

    /** Refuses a patch that touches {@code billing}; call before taking any lock. */
    public static void checkWritable(JsonObject patch) {
        if (patch.containsKey(BILLING)) {
            throw new InvalidInputException("settings.billing is managed by Flowline billing and cannot be changed.",
                    new FieldError(BILLING, "read-only"));
        }
    }

    /** The patched settings, at most {@code maxBytes} of UTF-8 JSON. */
    public static JsonObject apply(JsonObject current, JsonObject patch, int maxBytes) {
        checkWritable(patch);
        JsonValue merged = Jsons.createMergePatch(patch).apply(current);
        JsonObject result = merged.asJsonObject();
        if (current.containsKey(BILLING)) {
            result = Jsons.createObjectBuilder(result).add(BILLING, current.get(BILLING)).build();
        }
        int size = result.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            throw new InvalidInputException("Settings would take " + size + " bytes; the limit is " + maxBytes + ".",
                    new FieldError("settings", "too large"));
        }
        return result;
    }
}
