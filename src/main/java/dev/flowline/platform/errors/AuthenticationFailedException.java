package dev.flowline.platform.errors;

/** Answered with HTTP 401. Subclass it for a more specific problem type. */
public class AuthenticationFailedException extends FlowlineException {

    public AuthenticationFailedException(String detail) {
        this("authentication-failed", "Authentication failed", detail);
    }

    protected AuthenticationFailedException(String type, String title, String detail) {
        super(type, title, detail);
    }

    /** The {@code WWW-Authenticate} challenge of the 401: the session's bearer token unless a subclass says otherwise. */
    public String challenge() {
        return "Bearer";
    }

    @Override
    public int status() {
        return 401;
    }
}
