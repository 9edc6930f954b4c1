package dev.flowline.platform.rest;

import jakarta.json.JsonException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** JSON-P failures on bodies read as {@code JsonObject} (merge patches): 400, like JSON-B failures. */
@Provider
public class JsonParsingMapper implements ExceptionMapper<JsonException> {

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(JsonException e) {
        return ProblemResponses.of(MalformedBodyMapper.malformed(uriInfo));
    }
}
