package dev.flowline.engine;

import dev.flowline.platform.persistence.DatabaseAvailability;
import dev.flowline.triggers.ScheduleFiring;
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

/**
 * Polls for due schedules every {@code flowline.scheduler.poll-seconds} on every instance (safe: see
 * {@link ScheduleFiring}). Off with {@code flowline.scheduler.enabled=false}. Starts after the migration.
 */
@Singleton
@Startup
@DependsOn("LiquibaseMigrator")
public class Scheduler {

    @Resource
    ManagedThreadFactory threads;

    @Inject
    DatabaseAvailability database;

    @Inject
    ScheduleFiring firing;

    @Inject
    @ConfigProperty(name = "flowline.scheduler.enabled", defaultValue = "true")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "flowline.scheduler.poll-seconds", defaultValue = "15")
    int pollSeconds;

    private final FixedDelayJob job = new FixedDelayJob("Firing due schedules", this::fireDue, () -> database);

    @PostConstruct
    void start() {
        if (enabled) {
            job.start(threads, pollSeconds, pollSeconds, TimeUnit.SECONDS);
        }
    }

    /** Stops the job (also called early by {@link EngineShutdown}); stopping again does nothing more. */
    @PreDestroy
    public void stop() {
        job.stop();
    }

    private void fireDue() {
        firing.fireDue();
    }
}
