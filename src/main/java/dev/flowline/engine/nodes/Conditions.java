package dev.flowline.engine.nodes;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Evaluates a {@code logic.condition} node's params {@code {left, operator, right}}; {@code left} and {@code right}
 * are first resolved with {@link Templates#resolve}.
 * <ul>
 *   <li>{@code eq}, {@code ne}: JSON equality, at every depth of objects and arrays (key order aside), where numbers
 *       are equal by value ({@code 1} equals {@code 1.0}) and a string equals a number when it is numeric text of
 *       the same value ({@code "42"} equals {@code 42}), because numbers often arrive as text (query strings,
 *       headers, CSV, text interpolated from templates). Numeric text is a JSON number, optionally surrounded by
 *       whitespace: {@code "1e3"} and {@code " 7 "} are numeric, {@code "0x1A"}, {@code "1,000"}, {@code "+1"},
 *       {@code "01"}, {@code "NaN"} and {@code ""} are not, and are then simply unequal to any number. Two strings
 *       are compared as text ({@code "1"} is not {@code "1.0"}); {@code true} is not {@code "true"}, {@code null}
 *       is not {@code "null"}.</li>
 *   <li>{@code gt}, {@code gte}, {@code lt}, {@code lte}: numerically when both sides are numbers or numeric text
 *       (so {@code "10" > "9"}); otherwise lexicographically (by UTF-16 code unit, so case-sensitive) when both are
 *       strings; anything else cannot be ordered and fails the step.</li>
 *   <li>{@code contains}: a string contains a substring (every string contains {@code ""}); an array contains an
 *       element equal to {@code right} by the {@code eq} rule; an object has the key {@code right} (a string).
 *       Anything else, such as a number on either side of a string, does not contain.</li>
 *   <li>{@code exists}, {@code not_exists}: {@code left} is not resolved but checked: it exists when every template
 *       in it refers to something, so <code>"{{input.email}}"</code> exists when the input has an email, even
 *       {@code null} (the member is there; compare with {@code eq null} to tell them apart), and a value without
 *       templates always exists. A missing reference is the answer {@code false}, never a failure.</li>
 * </ul>
 * Every failure is a {@link StepFailedException} that is not retryable: the same data would fail again.
 */
public final class Conditions {

    private Conditions() {
    }

    /**
     * Whether the condition holds, that is whether the run follows the node's {@code "true"} edges.
     *
     * @throws StepFailedException (not retryable) for an operator that is unknown or lacks an operand, a template
     *         that refers to nothing (except under {@code exists}/{@code not_exists}), or operands that cannot be
     *         ordered
     */
    public static boolean evaluate(JsonObject params, RunContext context) {
        String operator = params.get("operator") instanceof JsonString name ? name.getString() : null;
        if (operator == null) {
            throw new StepFailedException("Condition has no operator", false);
        }
        JsonValue left = operand(params, "left", operator);
        return switch (operator) {
            case "exists" -> Templates.referencesExist(left, context);
            case "not_exists" -> !Templates.referencesExist(left, context);
            case "eq" -> equal(Templates.resolve(left, context), right(params, operator, context));
            case "ne" -> !equal(Templates.resolve(left, context), right(params, operator, context));
            case "gt" -> compare(Templates.resolve(left, context), right(params, operator, context), operator) > 0;
            case "gte" -> compare(Templates.resolve(left, context), right(params, operator, context), operator) >= 0;
            case "lt" -> compare(Templates.resolve(left, context), right(params, operator, context), operator) < 0;
            case "lte" -> compare(Templates.resolve(left, context), right(params, operator, context), operator) <= 0;
            case "contains" -> contains(Templates.resolve(left, context), right(params, operator, context));
            default -> throw new StepFailedException("Condition has an unknown operator \"" + operator + "\"", false);
        };
    }

    private static JsonValue right(JsonObject params, String operator, RunContext context) {
        return Templates.resolve(operand(params, "right", operator), context);
    }

    private static JsonValue operand(JsonObject params, String name, String operator) {
        JsonValue operand = params.get(name);
        if (operand == null) {
            throw new StepFailedException("Condition \"" + operator + "\" has no " + name, false);
        }
        return operand;
    }

    /** The {@code eq} rule, applied at every depth; see the class documentation. */
    private static boolean equal(JsonValue a, JsonValue b) {
        if (a instanceof JsonNumber || b instanceof JsonNumber) {
            BigDecimal x = number(a);
            BigDecimal y = number(b);
            return x != null && y != null && x.compareTo(y) == 0;
        }
        if (a instanceof JsonString x && b instanceof JsonString y) {
            return x.getString().equals(y.getString());
        }
        if (a instanceof JsonObject x && b instanceof JsonObject y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<String, JsonValue> member : x.entrySet()) {
                JsonValue other = y.get(member.getKey());
                if (other == null || !equal(member.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof JsonArray x && b instanceof JsonArray y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.getValueType() == b.getValueType() // true, false, null: the type is the value
                && (a.getValueType() == JsonValue.ValueType.TRUE || a.getValueType() == JsonValue.ValueType.FALSE
                || a.getValueType() == JsonValue.ValueType.NULL);
    }

    private static int compare(JsonValue left, JsonValue right, String operator) {
        BigDecimal x = number(left);
        BigDecimal y = number(right);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        if (left instanceof JsonString a && right instanceof JsonString b) {
            return a.getString().compareTo(b.getString());
        }
        String culprit;
        if (!orderable(left)) {
            culprit = "left is " + describe(left);
        } else if (!orderable(right)) {
            culprit = "right is " + describe(right);
        } else { // a number against text that is not numeric
            culprit = (x == null ? "left" : "right")
                    + " is a string that is not a number, and the other side is a number";
        }
        throw new StepFailedException("Condition \"" + operator + "\" cannot order its operands: " + culprit
                + " (only two numbers, numeric strings or two strings can be ordered)", false);
    }

    private static boolean orderable(JsonValue value) {
        return value instanceof JsonNumber || value instanceof JsonString;
    }

    private static String describe(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case NULL -> "null";
        };
    }

    private static boolean contains(JsonValue left, JsonValue right) {
        if (left instanceof JsonString text) {
            return right instanceof JsonString part && text.getString().contains(part.getString());
        }
        if (left instanceof JsonArray array) {
            for (JsonValue element : array) {
                if (equal(element, right)) {
                    return true;
                }
            }
            return false;
        }
        return left instanceof JsonObject object && right instanceof JsonString key
                && object.containsKey(key.getString());
    }

    /** A number's value, or numeric text's value; {@code null} for anything else. */
    private static BigDecimal number(JsonValue value) {
        if (value instanceof JsonNumber number) {
            return number.bigDecimalValue();
        }
        if (value instanceof JsonString string) {
            String text = string.getString().strip();
            if (isJsonNumber(text)) {
                try {
                    return new BigDecimal(text);
                } catch (NumberFormatException exponentTooLarge) {
                    return null; // "1e99999999999": grammatical, but beyond BigDecimal
                }
            }
        }
        return null;
    }

    /** RFC 8259 number grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, without a regex. */
    private static boolean isJsonNumber(String text) {
        int i = 0;
        int n = text.length();
        if (i < n && text.charAt(i) == '-') {
            i++;
        }
        if (i < n && text.charAt(i) == '0') {
            i++;
        } else {
            int digits = skipDigits(text, i);
            if (digits == i) {
                return false;
            }
            i = digits;
        }
        if (i < n && text.charAt(i) == '.') {
            int digits = skipDigits(text, i + 1);
            if (digits == i + 1) {
                return false;
            }
            i = digits;
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int digits = skipDigits(text, i);
            if (digits == i) {
                return false;
            }
            i = digits;
        }
        return i == n;
    }

    private static int skipDigits(String text, int i) {
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
