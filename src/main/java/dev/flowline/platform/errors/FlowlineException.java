package dev.flowline.platform.errors;

import jakarta.ejb.ApplicationException;

/**
 * Base of every typed domain error. Each subclass names one kind of failure; {@code ProblemExceptionMapper}
 * turns it into an RFC 9457 problem. Marked as an EJB application exception so that it crosses {@code @Stateless}
 * repositories unwrapped (and still rolls the transaction back).
 */
@ApplicationException(inherited = true, rollback = true)
public abstract class FlowlineException extends RuntimeException {

    private final String type;
    private final String title;

    protected FlowlineException(String type, String title, String detail) {
        super(detail);
        this.type = type;
        this.title = title;
    }

    /** Short slug that identifies the problem type, e.g. {@code email-taken}. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** HTTP status the API answers with. */
    public abstract int status();
}
