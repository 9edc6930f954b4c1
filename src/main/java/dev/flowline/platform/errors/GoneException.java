package dev.flowline.platform.errors;

/** Answered with HTTP 410. Subclass it for a more specific problem type. */
public class GoneException extends FlowlineException {

    public GoneException(String detail) {
        this("gone", "Gone", detail);
    }

    protected GoneException(String type, String title, String detail) {
        super(type, title, detail);
    }

    @Override
    public int status() {
        return 410;
    }
}
