package dev.flowline.platform.input;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Query parameters read as strings and parsed here, so a malformed one is a 400 naming it (JAX-RS would answer 404
 * for a {@code UUID} or {@code Instant} parameter it cannot convert). Blank is absent.
 */
public final class QueryValues {

    private QueryValues() {
    }

    /** A UUID in its canonical form (any case); {@code null} when absent. */
    public static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            UUID id = UUID.fromString(value.strip());
            if (id.toString().equalsIgnoreCase(value.strip())) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidInputException(name + " must be a UUID.", new FieldError(name, "not a UUID"));
    }

    /** An RFC 3339 time PostgreSQL can store; {@code null} when absent. */
    public static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return StorableInstants.require(name, Instant.parse(value.strip()));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(name + " must be an RFC 3339 time such as 2026-11-28T10:00:00Z.",
                    new FieldError(name, "not an RFC 3339 time"));
        }
    }
}
