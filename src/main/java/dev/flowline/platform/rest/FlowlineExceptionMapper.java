package dev.flowline.platform.rest;

import dev.flowline.platform.errors.AuthenticationFailedException;
import dev.flowline.platform.errors.FlowlineException;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.errors.RateLimitedException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Typed domain errors become problem+json with the status the exception declares. */
@Provider
public class FlowlineExceptionMapper implements ExceptionMapper<FlowlineException> {

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(FlowlineException e) {
        Problem problem = Problem.of(e.type(), e.title(), e.status(), e.detail()).withInstance(RequestPaths.path(uriInfo));
        if (e instanceof InvalidInputException invalid) {
            problem = problem.withErrors(invalid.errors());
        }
        Response.ResponseBuilder response = ProblemResponses.builder(problem);
        if (e instanceof RateLimitedException limited) {
            response.header("Retry-After", limited.retryAfterSeconds());
        }
        if (e instanceof AuthenticationFailedException failed) {
            response.header("WWW-Authenticate", failed.challenge());
        }
        return response.build();
    }
}
