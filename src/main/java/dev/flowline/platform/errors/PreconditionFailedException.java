package dev.flowline.platform.errors;

/** Answered with HTTP 412. Subclass it for a more specific problem type. */
public class PreconditionFailedException extends FlowlineException {

    public PreconditionFailedException(String detail) {
        this("precondition-failed", "Precondition failed", detail);
    }

    protected PreconditionFailedException(String type, String title, String detail) {
        super(type, title, detail);
    }

    @Override
    public int status() {
        return 412;
    }
}
