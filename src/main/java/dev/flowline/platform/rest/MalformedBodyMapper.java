package dev.flowline.platform.rest;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * JSON-B failures (malformed JSON, wrong types, unknown properties, unknown enum values) reach the application as
 * {@link ProcessingException}; without this mapper Jersey would answer 500. The parser's message names Java
 * classes, so the detail stays generic.
 */
@Provider
public class MalformedBodyMapper implements ExceptionMapper<ProcessingException> {

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(ProcessingException e) {
        return ProblemResponses.of(malformed(uriInfo));
    }

    static Problem malformed(UriInfo uriInfo) {
        return Problem.of("malformed-body", "Malformed request body", 400,
                        "The body is not valid JSON for this endpoint: check the syntax, the field names and the value types.")
                .withInstance(RequestPaths.path(uriInfo));
    }
}
