package dev.flowline.platform.errors;

import jakarta.ejb.ApplicationException;

/**
 * Base of every typed domain error. {@link dev.flowline.platform.rest.FlowlineExceptionMapper} answers each one with
 * an RFC 9457 {@code application/problem+json} body: {@link #status()} as the HTTP status, {@link #type()} as a slug
 * under {@code https://flowline.dev/problems/}, {@link #title()}, {@link #detail()} and the request path as
 * {@code instance}; plus the field {@code errors} of an {@link InvalidInputException}, the {@code Retry-After} header of
 * a {@link RateLimitedException} and the {@code WWW-Authenticate} challenge of an
 * {@link AuthenticationFailedException}.
 * <p>
 * The subclasses in this package stand for one HTTP status each (400, 401, 402, 403, 404, 409, 410, 412, 415, 428,
 * 429); most may be thrown as they are, with a generic type. An area subclasses them for each failure of its own,
 * with a specific type (e.g. {@code AuthErrors.EmailTakenException}, a 409 of type {@code email-taken}).
 * <p>
 * Marked as an EJB application exception so that one thrown inside a {@code @Stateless} repository reaches the
 * service unwrapped. It also marks the transaction rollback-only there, whatever the calling service's
 * {@code @Transactional(dontRollbackOn = ...)} says: an error that must not roll back is thrown by the service.
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
