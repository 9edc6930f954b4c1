package dev.flowline.platform.input;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;

import java.util.List;

/**
 * A body that is not strict JSON (syntax, trailing data, invalid UTF-8, too deep): 400 of the same type as the
 * JSON-B failures ({@code malformed-body}), naming the field where the reader stopped when there is one.
 */
public class MalformedJsonException extends InvalidInputException {

    public MalformedJsonException(String detail, String field) {
        super("malformed-body", "Malformed request body", detail,
                field == null ? List.of() : List.of(new FieldError(field, detail)));
    }
}
