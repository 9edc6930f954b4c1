package dev.flowline.platform.rest;

import dev.flowline.platform.persistence.DatabaseAvailability;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * While the database is known to be unreachable ({@link DatabaseAvailability}), every API call and webhook delivery
 * is answered 503 with {@code Retry-After} before it reaches a resource: nothing waits on the pool, nothing is half
 * done. (Calls with a session token are answered so earlier, by the authentication mechanism.)
 */
@Provider
@PreMatching
@Priority(10)
public class DatabaseGateFilter implements ContainerRequestFilter {

    @Inject
    DatabaseAvailability database;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!database.available()) {
            request.abortWith(ServiceUnavailable.response(RequestPaths.path(request.getUriInfo())));
        }
    }
}
