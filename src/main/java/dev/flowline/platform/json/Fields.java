package dev.flowline.platform.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small ordered map of field names to plain values (strings, numbers, booleans, enums, ids, times; null allowed),
 * as the areas describe a change in the events they fire: {@code Fields.of("name", "Old")}.
 */
public final class Fields {

    private Fields() {
    }

    /** Pairs of name and value; {@code Fields.of()} is the empty map. */
    public static Map<String, Object> of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(fields);
    }
}
