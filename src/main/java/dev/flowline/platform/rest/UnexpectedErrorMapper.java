package dev.flowline.platform.rest;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Last resort: a bug. Logs the stack trace under an id and answers 500 with only that id, never the exception's
 * message (which may hold SQL or data).
 */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class.getName());

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(Throwable e) {
        String errorId = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Unexpected error " + errorId + " on " + RequestPaths.loggable(RequestPaths.path(uriInfo)) + " requestId="
                + RequestIds.current(), e);
        Problem problem = Problem.of("internal-error", "Internal server error", 500,
                "The server failed to handle this request. Report error id " + errorId + " to the operators.")
                .withInstance(RequestPaths.path(uriInfo));
        return ProblemResponses.of(problem);
    }
}
