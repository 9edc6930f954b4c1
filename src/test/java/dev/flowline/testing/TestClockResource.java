package dev.flowline.testing;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import java.time.Duration;

/**
 * Test-only endpoint (never in the product WAR) that lets client-side tests move the server's clock, whichever
 * {@link MovableClock} the archive holds ({@code seconds} may be negative, to move it back).
 */
@Path("/test-support/clock")
@PermitAll
public class TestClockResource {

    @Inject
    MovableClock clock;

    @POST
    @Path("/advance")
    public Response advance(@QueryParam("seconds") long seconds) {
        clock.advance(Duration.ofSeconds(seconds));
        return Response.noContent().build();
    }
}
