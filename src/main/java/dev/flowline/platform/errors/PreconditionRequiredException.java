package dev.flowline.platform.errors;

/** Answered with HTTP 428: the request must say which version it changes ({@code If-Match}). */
public class PreconditionRequiredException extends FlowlineException {

    public PreconditionRequiredException(String detail) {
        super("precondition-required", "If-Match required", detail);
    }

    @Override
    public int status() {
        return 428;
    }
}
