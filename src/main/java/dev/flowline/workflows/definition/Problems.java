package dev.flowline.workflows.definition;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;

import java.util.LinkedHashSet;
import java.util.Set;

/** Collects every problem of one definition so a client can fix them all in one round trip. */
final class Problems {

    // Ordered for stable responses; a set because one bad template may be reached twice.
    private final Set<FieldError> errors = new LinkedHashSet<>();

    void add(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    void throwIfAny() {
        if (!errors.isEmpty()) {
            String detail = errors.size() == 1
                    ? "The workflow definition has a problem: " + describe(errors.iterator().next())
                    : "The workflow definition has " + errors.size() + " problems; see errors.";
            throw new InvalidInputException(detail, errors.toArray(FieldError[]::new));
        }
    }

    private static String describe(FieldError error) {
        return error.field() + " " + error.message() + ".";
    }
}
