package dev.flowline.platform.input;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.json.Jsons;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Strict reading of a client's JSON, so that what passes can be stored in {@code jsonb} and read back: UTF-8 only
 * (RFC 8259), one value and nothing after it, nested at most {@value #MAX_DEPTH} deep, no U+0000 or unpaired
 * surrogate in keys or strings, and numbers within PostgreSQL's {@code numeric}. Failures are 400s naming the
 * field: {@link MalformedJsonException} for the syntax, {@link InvalidInputException} for a value.
 */
public final class ClientJson {

    /** Deeper than any document of ours; far below what the parsers and PostgreSQL's stack allow. */
    public static final int MAX_DEPTH = 64;

    /** {@code numeric} input refuses exponents beyond ±1000 and holds at most 131072 digits before the point, 16383 after. */
    static final int MAX_EXPONENT = 1000;
    static final int MAX_INTEGER_DIGITS = 131_072;
    static final int MAX_FRACTION_DIGITS = 16_383;

    private ClientJson() {
    }

    /** Decodes strict UTF-8, or refuses the body. */
    public static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedJsonException("The body is not valid UTF-8.", null);
        }
    }

    /** Checks {@code body} (UTF-8 bytes) against every rule; answers the text. */
    public static String check(byte[] body) {
        String text = utf8(body);
        read(text, false);
        return text;
    }

    /** Reads one JSON value from {@code body} (UTF-8 bytes) under every rule. */
    public static JsonValue parse(byte[] body) {
        return read(utf8(body), true);
    }

    /** Reads one JSON value from {@code text} under every rule. */
    public static JsonValue parse(String text) {
        return read(text, true);
    }

    private static JsonValue read(String text, boolean keepValue) {
        // The stream is walked once to check every rule with the field's path at hand; only then is the
        // (small: the body size is limited) text read again into a value.
        Deque<Position> path = new ArrayDeque<>();
        try (JsonParser parser = Jsons.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw new MalformedJsonException("The body is empty.", null);
            }
            while (parser.hasNext()) {
                JsonParser.Event event = parser.next();
                switch (event) {
                    case START_OBJECT, START_ARRAY -> {
                        valueStarts(path);
                        if (path.size() >= MAX_DEPTH) {
                            throw new MalformedJsonException("The JSON is nested deeper than " + MAX_DEPTH + " levels.",
                                    name(path));
                        }
                        path.push(new Position(event == JsonParser.Event.START_ARRAY));
                    }
                    case END_OBJECT, END_ARRAY -> path.pop();
                    case KEY_NAME -> {
                        String key = parser.getString();
                        path.peek().key = key;
                        requireText(name(path), key, "property name");
                    }
                    case VALUE_STRING -> {
                        valueStarts(path);
                        requireText(name(path), parser.getString(), "value");
                    }
                    case VALUE_NUMBER -> {
                        valueStarts(path);
                        requireNumber(name(path), parser.getString());
                    }
                    default -> valueStarts(path);
                }
            }
        } catch (JsonException | IllegalStateException e) {
            // Parsson reports trailing data and syntax errors as JsonParsingException (a JsonException)
            throw new MalformedJsonException("The body is not a single valid JSON value: " + where(e), name(path));
        }
        if (!keepValue) {
            return null;
        }
        try (var reader = Jsons.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    private static void valueStarts(Deque<Position> path) {
        Position parent = path.peek();
        if (parent != null && parent.array) {
            parent.index++;
        }
    }

    private static void requireText(String field, String text, String what) {
        String problem = ClientText.problem(text);
        if (problem != null) {
            String named = field == null ? "body" : field;
            throw new InvalidInputException("A " + what + " at " + named + " " + problem + ".",
                    new FieldError(named, problem));
        }
    }

    static void requireNumber(String field, String number) {
        String named = field == null ? "body" : field;
        if (!storableNumber(number)) {
            throw new InvalidInputException("The number at " + named + " is outside the range this server stores.",
                    new FieldError(named, "number out of range"));
        }
    }

    /** Whether PostgreSQL's {@code numeric} (and so {@code jsonb}) accepts this JSON number as written. */
    static boolean storableNumber(String number) {
        int e = Math.max(number.indexOf('e'), number.indexOf('E'));
        if (e >= 0) {
            String exponent = number.substring(e + 1);
            // a long exponent is out of range whatever its digits; short ones are compared
            String digits = exponent.replaceFirst("^[+-]", "").replaceFirst("^0+(?=\\d)", "");
            if (digits.length() > 5 || Integer.parseInt(digits) > MAX_EXPONENT) {
                return false;
            }
        }
        BigDecimal value;
        try {
            value = new BigDecimal(number);
        } catch (NumberFormatException | ArithmeticException tooBig) {
            return false;
        }
        int integerDigits = value.precision() - value.scale();
        return integerDigits <= MAX_INTEGER_DIGITS && value.scale() <= MAX_FRACTION_DIGITS;
    }

    /** The path of the value being read, as a client writes it ({@code definition.nodes[2].id}); null at the top. */
    private static String name(Deque<Position> path) {
        StringBuilder name = new StringBuilder();
        var positions = path.descendingIterator();
        while (positions.hasNext()) {
            Position position = positions.next();
            if (position.array) {
                if (position.index > 0) {
                    name.append('[').append(position.index - 1).append(']');
                }
            } else if (position.key != null) {
                if (name.length() > 0) {
                    name.append('.');
                }
                name.append(position.key);
            }
        }
        return name.length() == 0 ? null : name.toString();
    }

    /** The parser's location (line and column), never its message, which may name Java classes. */
    private static String where(RuntimeException e) {
        if (e instanceof jakarta.json.stream.JsonParsingException parsing && parsing.getLocation() != null) {
            return "stopped at line " + parsing.getLocation().getLineNumber() + ", column "
                    + parsing.getLocation().getColumnNumber() + ".";
        }
        return "check the syntax.";
    }

    /** An object or array being read: the current key, or how many elements have started. */
    private static final class Position {
        final boolean array;
        String key;
        int index;

        Position(boolean array) {
            this.array = array;
        }
    }
}
