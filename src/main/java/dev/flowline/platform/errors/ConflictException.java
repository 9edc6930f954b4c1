package dev.flowline.platform.errors;

/** Answered with HTTP 409. Subclass it for a more specific problem type. */
public class ConflictException extends FlowlineException {

    public ConflictException(String detail) {
        this("conflict", "Conflict", detail);
    }

    protected ConflictException(String type, String title, String detail) {
        super(type, title, detail);
    }

    @Override
    public int status() {
        return 409;
    }
}
