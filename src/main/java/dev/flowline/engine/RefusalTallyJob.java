package dev.flowline.engine;

import dev.flowline.platform.persistence.DatabaseAvailability;
import dev.flowline.triggers.RefusedDeliveries;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the tallies of refused webhook deliveries ({@link RefusedDeliveries}) every
 * {@code flowline.webhooks.refusal-log-seconds}, and once more when the application stops.
 */
@Singleton
@Startup
@DependsOn("LiquibaseMigrator")
public class RefusalTallyJob {

    private static final Logger LOG = Logger.getLogger(RefusalTallyJob.class.getName());

    @Resource
    ManagedThreadFactory threads;

    @Inject
    DatabaseAvailability database;

    @Inject
    RefusedDeliveries refused;

    @Inject
    @ConfigProperty(name = "flowline.webhooks.refusal-log-seconds", defaultValue = "10")
    int intervalSeconds;

    private final FixedDelayJob job = new FixedDelayJob("Logging refused webhook deliveries", this::flush, () -> database);

    @PostConstruct
    void start() {
        job.start(threads, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }

    /** Stops the job (also called early by {@link EngineShutdown}); stopping again does nothing more. */
    @PreDestroy
    public void stop() {
        job.stop();
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The last tallies of refused webhook deliveries could not be written", e);
        }
    }

    private void flush() {
        int written = refused.flush();
        if (written > 0) {
            LOG.fine(() -> "Logged " + written + " refused webhook deliveries");
        }
    }
}
