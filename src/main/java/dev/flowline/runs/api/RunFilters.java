package dev.flowline.runs.api;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.runs.RunStatus;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The {@code status} query parameter of run lists ({@code status=QUEUED,FAILED}); ids and times: {@link dev.flowline.platform.input.QueryValues}. */
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
}
