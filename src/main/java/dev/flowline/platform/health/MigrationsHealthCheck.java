package dev.flowline.platform.health;

import dev.flowline.platform.persistence.LiquibaseMigrator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once this instance has brought the schema up to date (a failed migration fails the deployment, so a serving
 * instance that says DOWN here is one whose migration has not finished yet).
 */
@Readiness
@ApplicationScoped
public class MigrationsHealthCheck implements HealthCheck {

    @Inject
    LiquibaseMigrator migrator;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("migrations").status(migrator.migrated()).build();
    }
}
