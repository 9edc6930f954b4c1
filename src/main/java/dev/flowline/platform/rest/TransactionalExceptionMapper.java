package dev.flowline.platform.rest;

import jakarta.transaction.TransactionalException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.Providers;

/**
 * A {@code @Transactional} method that failed in the transaction manager, typically its commit (the database went
 * away between the last statement and the commit): answered by the mapper of its cause, else by
 * {@link UnexpectedErrorMapper}, which makes a connection failure a 503 with Retry-After. Without it, Jersey's own
 * mapper for TransactionalException threw when the cause had no mapper of its own, and the client got a 500.
 */
@Provider
public class TransactionalExceptionMapper implements ExceptionMapper<TransactionalException> {

    @Context
    Providers providers;

    @Override
    @SuppressWarnings("unchecked")
    public Response toResponse(TransactionalException e) {
        Throwable cause = e.getCause();
        if (cause != null && !(cause instanceof TransactionalException)) {
            ExceptionMapper<Throwable> mapper = (ExceptionMapper<Throwable>) providers.getExceptionMapper(cause.getClass());
            if (mapper != null) {
                return mapper.toResponse(cause);
            }
        }
        return ((ExceptionMapper<Throwable>) providers.getExceptionMapper(Throwable.class)).toResponse(e);
    }
}
