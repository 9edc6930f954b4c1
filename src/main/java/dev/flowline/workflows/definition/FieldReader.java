package dev.flowline.workflows.definition;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.util.Collection;

/**
 * Reads typed members of a JSON object and reports wrong or missing ones, so that a number where a string belongs
 * becomes a field error rather than a ClassCastException. Each read answers {@code null} when the member is absent
 * or unusable (already reported).
 */
final class FieldReader {

    private final Problems problems;

    FieldReader(Problems problems) {
        this.problems = problems;
    }

    Problems problems() {
        return problems;
    }

    /** Reports every member of {@code object} not in {@code allowed}; {@code why} ends the message. */
    void refuseUnknown(JsonObject object, Collection<String> allowed, String field, String why) {
        for (String key : object.keySet()) {
            if (!allowed.contains(key)) {
                problems.add(field + "." + key, why);
            }
        }
    }

    /** The member as it is, any JSON type; reports it when required and absent. */
    JsonValue value(JsonObject object, String key, String field, boolean required) {
        JsonValue value = object.get(key);
        if (value == null && required) {
            problems.add(field, "is required");
        }
        return value;
    }

    String string(JsonObject object, String key, String field, boolean required) {
        JsonValue value = value(object, key, field, required);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.getString();
        }
        problems.add(field, "must be a string");
        return null;
    }

    JsonObject object(JsonObject object, String key, String field, boolean required) {
        JsonValue value = value(object, key, field, required);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonObject member) {
            return member;
        }
        problems.add(field, "must be an object");
        return null;
    }

    JsonArray array(JsonObject object, String key, String field, boolean required) {
        JsonValue value = value(object, key, field, required);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonArray array) {
            return array;
        }
        problems.add(field, "must be an array");
        return null;
    }

    /** A whole number in {@code min..max}; {@code 30.0} counts as 30, since JSON does not tell them apart. */
    Integer wholeNumber(JsonObject object, String key, String field, boolean required, int min, int max) {
        JsonValue value = value(object, key, field, required);
        if (value == null) {
            return null;
        }
        String expected = "must be a whole number from " + min + " to " + max;
        if (!(value instanceof JsonNumber number)) {
            problems.add(field, expected);
            return null;
        }
        // BigDecimal, so that 1e400 or 2^64 cannot wrap around into the range.
        BigDecimal decimal = number.bigDecimalValue();
        if (decimal.stripTrailingZeros().scale() > 0
                || decimal.compareTo(BigDecimal.valueOf(min)) < 0 || decimal.compareTo(BigDecimal.valueOf(max)) > 0) {
            problems.add(field, expected);
            return null;
        }
        return decimal.intValueExact();
    }
}
