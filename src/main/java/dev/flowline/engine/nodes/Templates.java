package dev.flowline.engine.nodes;

import dev.flowline.platform.json.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Map;
import java.util.Optional;

/**
 * Resolves the templates in a node's params against a {@link RunContext}, with the syntax that
 * {@code dev.flowline.workflows.definition.TemplateChecker} accepts: <code>{{input.path}}</code>,
 * <code>{{nodes.&lt;nodeId&gt;.path}}</code>, <code>{{run.id}}</code> and
 * <code>{{run.resumeUrls.&lt;nodeId&gt;}}</code> ({@link RunVariables}), a path of {@code [A-Za-z0-9_-]+} segments separated by dots, optionally
 * padded with whitespace inside the braces. A <code>}}</code> without an opening <code>{{</code> is plain text, and
 * templates do not nest.
 * <ul>
 *   <li>A string that is exactly one template (nothing before the opening or after the closing braces) becomes the
 *       referenced value itself, so <code>"{{nodes.fetch.body}}"</code> passes an object on as an object.</li>
 *   <li>Any other string gets each template replaced by the value as text: a JSON string's characters, anything
 *       else as its JSON text.</li>
 *   <li>A path walks object members by name; a segment of digits also indexes into an array.</li>
 * </ul>
 * Substituted values are never scanned again, so data from a run's input or a response cannot inject templates.
 * Paths are only walked: nothing is evaluated. This runs on every step of every run, so strings without templates
 * and containers without changed members are returned as the same instances, and nothing throws on the happy path.
 * <p>
 * What a node's templates may produce is bounded while they expand, by the context's {@link StepBudget}: every
 * template expression is counted, and the JSON size of the result is charged piece by piece (literal text, each
 * inserted value measured no further than the budget left) before the piece is built, so a node that inserts a large
 * earlier output thousands of times fails after about one budget's worth of bytes.
 */
public final class Templates {

    private static final String OPEN = "{{";
    private static final String CLOSE = "}}";
    private static final String INPUT = "input";
    private static final String NODES = "nodes";
    private static final String RUN = "run";
    private static final String RESUME_URLS = "resumeUrls";
    /** Beyond this many characters a quoted fragment of an invalid string is cut short in a message. */
    private static final int QUOTE_LIMIT = 60;


    private Templates() {
    }

    /**
     * Answers {@code value} with every string inside it (through objects and arrays, not object keys) resolved.
     *
     * @throws StepFailedException (not retryable) when a template refers to nothing (a node without output, a
     *         missing key, an index out of range, a path through a scalar) or is malformed; the message names the
     *         template and where the walk stopped; or when the result would exceed the context's budget
     */
    public static JsonValue resolve(JsonValue value, RunContext context) {
        if (value instanceof JsonString string) {
            return resolveString(string, context);
        }
        if (value instanceof JsonObject object) {
            return resolveObject(object, context);
        }
        if (value instanceof JsonArray array) {
            return resolveArray(array, context);
        }
        context.budget().chargeValue(value);
        return value;
    }

    /**
     * The value at a dotted path such as {@code input.order.id}, {@code nodes.fetch.body.items.0} or {@code input},
     * or empty when there is none there. A member present with the value {@code null} is there: the answer is
     * {@link JsonValue#NULL}.
     *
     * @throws StepFailedException (not retryable) when {@code path} is not a valid template path
     */
    public static Optional<JsonValue> lookup(String path, RunContext context) {
        return Optional.ofNullable(find(path, 0, path.length(), context, false));
    }

    /**
     * Whether every template inside {@code value} refers to something, without throwing for a missing one: what
     * {@code exists} means for a condition. A value without templates trivially qualifies.
     *
     * @throws StepFailedException (not retryable) for a malformed template, which is a broken definition rather
     *         than missing data
     */
    static boolean referencesExist(JsonValue value, RunContext context) {
        if (value instanceof JsonString string) {
            String text = string.getString();
            int open = text.indexOf(OPEN);
            while (open >= 0) {
                int close = closeOf(text, open);
                int next = nextOpen(text, open, close);
                context.budget().template();
                if (find(text, open + OPEN.length(), close, context, false) == null) {
                    return false;
                }
                open = next;
            }
            return true;
        }
        if (value instanceof JsonObject object) {
            for (JsonValue member : object.values()) {
                if (!referencesExist(member, context)) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof JsonArray array) {
            for (JsonValue element : array) {
                if (!referencesExist(element, context)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static JsonValue resolveString(JsonString string, RunContext context) {
        String text = string.getString();
        StepBudget budget = context.budget();
        int open = text.indexOf(OPEN);
        if (open < 0) {
            budget.chargeValue(string);
            return string;
        }
        int close = closeOf(text, open);
        int next = nextOpen(text, open, close);
        if (open == 0 && close == text.length() - CLOSE.length()) {
            budget.template();
            JsonValue found = find(text, OPEN.length(), close, context, true);
            budget.chargeValue(found);
            return found;
        }
        budget.charge(2); // the quotes
        StringBuilder out = new StringBuilder(text.length() + 32);
        int from = 0;
        while (true) {
            budget.chargeText(text, from, open);
            out.append(text, from, open);
            budget.template();
            appendText(out, find(text, open + OPEN.length(), close, context, true), budget);
            from = close + CLOSE.length();
            if (next < 0) {
                break;
            }
            open = next;
            close = closeOf(text, open);
            next = nextOpen(text, open, close);
        }
        budget.chargeText(text, from, text.length());
        out.append(text, from, text.length());
        return Jsons.createValue(out.toString());
    }

    /** The closing braces of the template opened at {@code open}. */
    private static int closeOf(String text, int open) {
        int close = text.indexOf(CLOSE, open + OPEN.length());
        if (close < 0) {
            throw invalid("Text " + quote(text.substring(open)) + " has a '{{' without a closing '}}'");
        }
        return close;
    }

    /** The next opening braces after the template at {@code open}..{@code close}, or -1; refuses nesting. */
    private static int nextOpen(String text, int open, int close) {
        int next = text.indexOf(OPEN, open + OPEN.length());
        if (next >= 0 && next < close) {
            throw invalid("Text " + quote(text.substring(open, close + CLOSE.length()))
                    + " has a '{{' inside a template (templates do not nest)");
        }
        return next;
    }

    /** Appends the value as text, charged before it is built: a string's characters, anything else as JSON. */
    private static void appendText(StringBuilder out, JsonValue value, StepBudget budget) {
        if (value instanceof JsonString string) {
            CharSequence chars = string.getChars();
            budget.chargeText(chars, 0, chars.length());
            out.append(chars);
        } else {
            budget.chargeValue(value); // its JSON text; the quotes in it are escaped once stored, not counted here
            out.append(value); // JsonValue.toString() is the value's JSON text
        }
    }

    private static JsonValue resolveObject(JsonObject object, RunContext context) {
        StepBudget budget = context.budget();
        budget.charge(2 + Math.max(0, object.size() - 1)); // braces, commas
        JsonObjectBuilder builder = null;
        int index = 0;
        for (Map.Entry<String, JsonValue> member : object.entrySet()) {
            budget.chargeText(member.getKey(), 0, member.getKey().length());
            budget.charge(3); // the key's quotes, the colon
            JsonValue resolved = resolve(member.getValue(), context);
            if (builder == null && resolved != member.getValue()) {
                builder = Jsons.createObjectBuilder();
                int copied = 0;
                for (Map.Entry<String, JsonValue> earlier : object.entrySet()) {
                    if (copied++ == index) {
                        break;
                    }
                    builder.add(earlier.getKey(), earlier.getValue());
                }
            }
            if (builder != null) {
                builder.add(member.getKey(), resolved);
            }
            index++;
        }
        return builder == null ? object : builder.build();
    }

    private static JsonValue resolveArray(JsonArray array, RunContext context) {
        context.budget().charge(2 + Math.max(0, array.size() - 1)); // brackets, commas
        JsonArrayBuilder builder = null;
        for (int i = 0; i < array.size(); i++) {
            JsonValue element = array.get(i);
            JsonValue resolved = resolve(element, context);
            if (builder == null && resolved != element) {
                builder = Jsons.createArrayBuilder();
                for (int j = 0; j < i; j++) {
                    builder.add(array.get(j));
                }
            }
            if (builder != null) {
                builder.add(resolved);
            }
        }
        return builder == null ? array : builder.build();
    }

    /**
     * Walks the path in {@code text} between {@code start} and {@code end} (whitespace around it ignored). Answers
     * the value, or, when there is none: {@code null}, or a {@link StepFailedException} saying where the walk stopped
     * if {@code fail}. One walk serves both so that the happy path allocates only the member names.
     */
    private static JsonValue find(String text, int start, int end, RunContext context, boolean fail) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        checkPath(text, start, end);
        int segmentEnd = segmentEnd(text, start, end);
        JsonValue current;
        if (isSegment(text, start, segmentEnd, INPUT)) {
            current = context.input();
        } else if (isSegment(text, start, segmentEnd, NODES)) {
            if (segmentEnd == end) {
                throw invalid("Template " + template(text, start, end) + " names no node");
            }
            int idStart = segmentEnd + 1;
            segmentEnd = segmentEnd(text, idStart, end);
            current = context.outputs().get(text.substring(idStart, segmentEnd));
            if (current == null) {
                if (!fail) {
                    return null;
                }
                throw missing(text, start, end, "node \"" + text.substring(idStart, segmentEnd)
                        + "\" has no output (it has not run yet, or not on this path)");
            }
        } else if (isSegment(text, start, segmentEnd, RUN)) {
            return runName(text, start, end, segmentEnd, context);
        } else {
            throw invalid("Template " + template(text, start, end) + " starts with neither 'input', 'nodes' nor 'run'");
        }
        while (segmentEnd < end) {
            int segmentStart = segmentEnd + 1;
            segmentEnd = segmentEnd(text, segmentStart, end);
            JsonValue next = step(current, text, segmentStart, segmentEnd);
            if (next == null) {
                if (!fail) {
                    return null;
                }
                throw missing(text, start, end, whyNot(current, text.substring(start, segmentStart - 1),
                        text.substring(segmentStart, segmentEnd)));
            }
            current = next;
        }
        return current;
    }

    /** {@code run.id} or {@code run.resumeUrls.<nodeId>}: names, not paths into data (nothing below them). */
    private static JsonValue runName(String text, int start, int end, int segmentEnd, RunContext context) {
        String rest = segmentEnd < end ? text.substring(segmentEnd + 1, end) : "";
        RunVariables run = context.run();
        if (run == null) {
            throw invalid("Template " + template(text, start, end) + ": the run's names are not available here");
        }
        if (rest.equals("id")) {
            return Jsons.createValue(run.id().toString());
        }
        if (rest.startsWith(RESUME_URLS + ".") && rest.indexOf('.', RESUME_URLS.length() + 1) < 0
                && rest.length() > RESUME_URLS.length() + 1) {
            return Jsons.createValue(run.resumeUrl().apply(rest.substring(RESUME_URLS.length() + 1)));
        }
        throw invalid("Template " + template(text, start, end)
                + " names nothing the run has (known: {{run.id}}, {{run.resumeUrls.<nodeId>}})");
    }

    /** One step down: an object's member, or an array's element for a segment of digits; {@code null} if none. */
    private static JsonValue step(JsonValue current, String text, int start, int end) {
        if (current instanceof JsonObject object) {
            return object.get(text.substring(start, end));
        }
        if (current instanceof JsonArray array) {
            long index = index(text, start, end);
            return index >= 0 && index < array.size() ? array.get((int) index) : null;
        }
        return null;
    }

    /**
     * The segment as an array index, or -1 if it is not all digits; a very long one saturates above
     * {@code Integer.MAX_VALUE}, past the end of any array.
     */
    private static long index(String text, int start, int end) {
        long index = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            index = index > Integer.MAX_VALUE ? index : index * 10 + (c - '0');
        }
        return index;
    }

    private static String whyNot(JsonValue current, String at, String segment) {
        return switch (current.getValueType()) {
            case OBJECT -> at + " has no \"" + segment + "\"";
            case ARRAY -> {
                int size = ((JsonArray) current).size();
                yield index(segment, 0, segment.length()) < 0
                        ? at + " is an array, and \"" + segment + "\" is not an index"
                        : at + " is an array of " + size + (size == 1 ? " element" : " elements")
                        + ", so it has no index " + segment;
            }
            case STRING -> at + " is a string, so it has no \"" + segment + "\"";
            case NUMBER -> at + " is a number, so it has no \"" + segment + "\"";
            case TRUE, FALSE -> at + " is a boolean, so it has no \"" + segment + "\"";
            case NULL -> at + " is null, so it has no \"" + segment + "\"";
        };
    }

    /** Refuses anything but dot-separated, non-empty segments of {@code [A-Za-z0-9_-]}. */
    private static void checkPath(String text, int start, int end) {
        boolean segmentOpen = false;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (!segmentOpen) {
                    break; // empty segment
                }
                segmentOpen = false;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-') {
                segmentOpen = true;
            } else {
                segmentOpen = false;
                break;
            }
        }
        if (!segmentOpen) {
            throw invalid("Template " + template(text, start, end)
                    + " is invalid (expected {{input.path}} or {{nodes.<nodeId>.path}})");
        }
    }

    /** Where the segment starting at {@code start} ends: at the next dot, or at {@code end}. */
    private static int segmentEnd(String text, int start, int end) {
        int i = start;
        while (i < end && text.charAt(i) != '.') {
            i++;
        }
        return i;
    }

    private static boolean isSegment(String text, int start, int end, String name) {
        return end - start == name.length() && text.startsWith(name, start);
    }

    private static String template(String text, int start, int end) {
        return OPEN + text.substring(start, end) + CLOSE;
    }

    private static StepFailedException missing(String text, int start, int end, String why) {
        return new StepFailedException("Template " + template(text, start, end) + ": " + why, false);
    }

    private static StepFailedException invalid(String message) {
        return new StepFailedException(message, false);
    }

    private static String quote(String fragment) {
        return "'" + (fragment.length() <= QUOTE_LIMIT ? fragment : fragment.substring(0, QUOTE_LIMIT) + "...") + "'";
    }
}
