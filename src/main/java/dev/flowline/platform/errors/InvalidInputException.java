package dev.flowline.platform.errors;

import java.util.List;

/** Answered with HTTP 400; may name the offending fields. */
public class InvalidInputException extends FlowlineException {

    private final List<FieldError> errors;

    public InvalidInputException(String detail) {
        this("invalid-input", "Invalid input", detail, List.of());
    }

    public InvalidInputException(String detail, FieldError... errors) {
        this("invalid-input", "Invalid input", detail, List.of(errors));
    }

    protected InvalidInputException(String type, String title, String detail, List<FieldError> errors) {
        super(type, title, detail);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    @Override
    public int status() {
        return 400;
    }
}
