package dev.flowline.platform.rest;

import dev.flowline.platform.persistence.DatabaseAvailability;
import jakarta.ws.rs.core.Response;

/**
 * The answer while the database cannot be reached: 503 problem+json of type {@code service-unavailable} with
 * {@code Retry-After}, so that webhook senders and API clients try again later (a 500 says "bug", and many webhook
 * senders do not retry it).
 */
public final class ServiceUnavailable {

    public static final String TYPE = "service-unavailable";

    private ServiceUnavailable() {
    }

    public static Problem problem() {
        return Problem.of(TYPE, "Service unavailable", 503, "The database is unreachable for the moment. Nothing was"
                + " done; try again in " + DatabaseAvailability.RETRY_AFTER_SECONDS + " seconds.");
    }

    public static Response response(String path) {
        return ProblemResponses.builder(problem().withInstance(path))
                .header("Retry-After", DatabaseAvailability.RETRY_AFTER_SECONDS)
                .build();
    }
}
