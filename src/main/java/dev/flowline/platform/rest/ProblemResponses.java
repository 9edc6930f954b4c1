package dev.flowline.platform.rest;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.ws.rs.core.Response;

/**
 * Builds problem+json responses. The body is serialised here rather than by a message body writer so that the
 * {@code application/problem+json} media type never depends on which JSON provider the server picks.
 */
public final class ProblemResponses {

    private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().withNullValues(false));

    private ProblemResponses() {
    }

    public static Response.ResponseBuilder builder(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(json(problem));
    }

    public static Response of(Problem problem) {
        return builder(problem).build();
    }

    /** The document; with the id of the request being served on this thread unless the problem names one. */
    public static String json(Problem problem) {
        return JSONB.toJson(problem.requestId() == null ? problem.withRequestId(RequestIds.current()) : problem);
    }
}
