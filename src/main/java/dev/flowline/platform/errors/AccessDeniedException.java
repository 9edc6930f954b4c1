package dev.flowline.platform.errors;

/** Answered with HTTP 403. Subclass it for a more specific problem type. */
public class AccessDeniedException extends FlowlineException {

    public AccessDeniedException(String detail) {
        this("access-denied", "Access denied", detail);
    }

    protected AccessDeniedException(String type, String title, String detail) {
        super(type, title, detail);
    }

    @Override
    public int status() {
        return 403;
    }
}
