package dev.flowline.platform.input;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;

/**
 * Text from a client that PostgreSQL can store: no U+0000 (refused by {@code text} and {@code jsonb}) and no
 * unpaired UTF-16 surrogate (refused by {@code jsonb}, and silently turned into '?' by the driver elsewhere).
 */
public final class ClientText {

    private ClientText() {
    }

    /** Null when {@code value} is storable, else what is wrong with it. */
    public static String problem(String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return "must not contain the NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must not contain an unpaired UTF-16 surrogate";
            }
        }
        return null;
    }

    /** Refuses {@code value} with a 400 naming {@code field} unless PostgreSQL can store it. */
    public static String require(String field, String value) {
        String problem = problem(value);
        if (problem != null) {
            throw new InvalidInputException(field + " " + problem + ".", new FieldError(field, problem));
        }
        return value;
    }
}
