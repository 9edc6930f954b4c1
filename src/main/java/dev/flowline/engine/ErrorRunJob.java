package dev.flowline.engine;

import dev.flowline.platform.persistence.DatabaseAvailability;
import dev.flowline.runs.ErrorRunStarter;
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
 * Starts the runs of error workflows that dead letters asked for ({@link ErrorRunStarter}) every
 * {@code flowline.engine.error-runs.poll-millis}, on every instance (each request is locked with {@code SKIP LOCKED},
 * so instances never start one twice). Runs with the engine ({@code flowline.engine.enabled}).
 */
@Singleton
@Startup
@DependsOn("LiquibaseMigrator")
public class ErrorRunJob {

    /** At most this many requests per tick, so that a flood of dead letters cannot hold the job's thread. */
    static final int MAX_PER_TICK = 100;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    DatabaseAvailability database;

    @Inject
    ErrorRunStarter starter;

    @Inject
    @ConfigProperty(name = "flowline.engine.enabled", defaultValue = "true")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "flowline.engine.error-runs.poll-millis", defaultValue = "1000")
    long pollMillis;

    private final FixedDelayJob job = new FixedDelayJob("Starting error workflows", this::tick, () -> database);

    @PostConstruct
    void start() {
        if (enabled) {
            job.start(threads, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops the job (also called early by {@link EngineShutdown}); stopping again does nothing more. */
    @PreDestroy
    public void stop() {
        job.stop();
    }

    private void tick() {
        for (int i = 0; i < MAX_PER_TICK && starter.startNext(); i++) {
            // each call starts (or refuses) one error run in its own transaction
        }
    }
}
