package dev.flowline.platform.errors;

/** Answered with HTTP 404. Subclass it for a more specific problem type. */
public class ResourceNotFoundException extends FlowlineException {

    public ResourceNotFoundException(String detail) {
        this("not-found", "Not found", detail);
    }

    protected ResourceNotFoundException(String type, String title, String detail) {
        super(type, title, detail);
    }

    @Override
    public int status() {
        return 404;
    }
}
