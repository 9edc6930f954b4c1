package dev.flowline.platform.health;

import dev.flowline.platform.persistence.DatabaseAvailability;
import dev.flowline.platform.persistence.DatabaseProbe;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.sql.SQLException;

/**
 * Ready only while PostgreSQL answers; the error class (never the message) is reported. Not a liveness check: a
 * database outage must not make an orchestrator restart every instance (they recover on their own once it is back).
 * While {@link DatabaseAvailability} knows the database is unreachable it answers from there (probing at most once a
 * second, so that frequent health checks do not hammer the pool); a connection failure seen here tells it.
 */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements HealthCheck {

    private static final int TIMEOUT_SECONDS = 3;

    @Inject
    DatabaseProbe probe;

    @Inject
    DatabaseAvailability availability;

    @Override
    public HealthCheckResponse call() {
        if (!availability.available()) {
            return HealthCheckResponse.named("database").down().withData("error", "unreachable")
                    .withData("downSeconds", availability.closedFor().toSeconds()).build();
        }
        try {
            return HealthCheckResponse.named("database").status(probe.answers(TIMEOUT_SECONDS)).build();
        } catch (SQLException | RuntimeException e) {
            availability.failed(e);
            Throwable cause = e instanceof EJBException && e.getCause() != null ? e.getCause() : e;
            return HealthCheckResponse.named("database").down().withData("error", cause.getClass().getSimpleName())
                    .build();
        }
    }
}
