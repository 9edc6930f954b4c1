package dev.flowline.platform.rest;

import dev.flowline.platform.persistence.ConnectionFailure;
import dev.flowline.platform.persistence.DatabaseAvailability;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Last resort: a bug. Logs the stack trace under an id and answers 500 with only that id, never the exception's
 * message (which may hold SQL or data).
 * <p>
 * Except a {@linkplain ConnectionFailure connection failure} anywhere in the cause chain: that is the database gone
 * (or a pool with no connection to give), not a bug. It is answered 503 with {@code Retry-After}
 * ({@link ServiceUnavailable}) and reported to {@link DatabaseAvailability}, which logs the outage once; a pool that
 * only ran out of connections is logged on one line at most every {@value #POOL_LOG_INTERVAL_SECONDS} s.
 */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class.getName());

    static final long POOL_LOG_INTERVAL_SECONDS = 10;
    private static final AtomicLong POOL_LOGGED = new AtomicLong(System.nanoTime() - POOL_LOG_INTERVAL_SECONDS * 2_000_000_000L);

    @Context
    UriInfo uriInfo;

    @Inject
    DatabaseAvailability database;

    @Override
    public Response toResponse(Throwable e) {
        if (ConnectionFailure.in(e)) {
            return unavailable(e);
        }
        String errorId = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Unexpected error " + errorId + " on " + RequestPaths.loggable(RequestPaths.path(uriInfo)) + " requestId="
                + RequestIds.current(), e);
        Problem problem = Problem.of("internal-error", "Internal server error", 500,
                "The server failed to handle this request. Report error id " + errorId + " to the operators.")
                .withInstance(RequestPaths.path(uriInfo));
        return ProblemResponses.of(problem);
    }

    private Response unavailable(Throwable e) {
        boolean unreachable = database != null ? database.failed(e) : ConnectionFailure.unreachable(e);
        long last = POOL_LOGGED.get();
        long now = System.nanoTime();
        if (!unreachable && now - last > POOL_LOG_INTERVAL_SECONDS * 1_000_000_000L && POOL_LOGGED.compareAndSet(last, now)) {
            LOG.warning(() -> "Answering 503: the connection pool gave no connection (" + ConnectionFailure.describe(e)
                    + ") on " + RequestPaths.loggable(RequestPaths.path(uriInfo)) + " requestId=" + RequestIds.current()
                    + "; said at most every " + POOL_LOG_INTERVAL_SECONDS + " s");
        }
        return ServiceUnavailable.response(RequestPaths.path(uriInfo));
    }
}
