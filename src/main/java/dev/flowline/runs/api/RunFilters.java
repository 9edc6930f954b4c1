package dev.flowline.runs.api;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.input.StorableInstants;
import dev.flowline.runs.RunStatus;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Query parameters of run lists: {@code status=QUEUED,FAILED}, {@code from} and {@code to} as RFC 3339 times. */
final class RunFilters {

    private RunFilters() {
    }

    static Set<RunStatus> statuses(String status) {
        if (status == null || status.isBlank()) {
            return Set.of();
        }
        Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        for (String name : status.split(",")) {
            try {
                statuses.add(RunStatus.valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("Unknown run status '" + name.strip() + "'; use "
                        + Arrays.toString(RunStatus.values()) + ".", new FieldError("status", "unknown status"));
            }
        }
        return statuses;
    }

    /** A UUID query parameter: a malformed one is a 400 naming it (JAX-RS would answer 404). */
    static UUID uuid(String name, String value) {
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

    static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return StorableInstants.require(name, Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(name + " must be an RFC 3339 time such as 2026-11-28T10:00:00Z.",
                    new FieldError(name, "not an RFC 3339 time"));
        }
    }
}
