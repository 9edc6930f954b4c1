package dev.flowline.platform.input;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;

import java.time.Instant;

/**
 * The instants a client may send. PostgreSQL's {@code timestamptz} spans 4713 BC to 294276 AD, Java's
 * {@link Instant} far more, and years before 1 or after 9999 are not RFC 3339: the years 1 to 9999 are accepted.
 */
public final class StorableInstants {

    public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

    private StorableInstants() {
    }

    public static boolean storable(Instant instant) {
        return !instant.isBefore(MIN) && !instant.isAfter(MAX);
    }

    /** {@code instant} itself, or a 400 naming {@code field} when it is out of range; null stays null. */
    public static Instant require(String field, Instant instant) {
        if (instant != null && !storable(instant)) {
            throw new InvalidInputException(field + " must be between " + MIN + " and " + MAX + ".",
                    new FieldError(field, "out of range"));
        }
        return instant;
    }
}
