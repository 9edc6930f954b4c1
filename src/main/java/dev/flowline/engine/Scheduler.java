package dev.flowline.engine;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Polls for due schedules every {@code flowline.scheduler.poll-seconds} on every instance (safe: see
 * {@link ScheduleFiring}). Off with {@code flowline.scheduler.enabled=false}. Starts after the migration.
 */
@Singleton
@Startup
@DependsOn("LiquibaseMigrator")
public class Scheduler {

    private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());

    @Resource
    ManagedScheduledExecutorService executor;

    @Inject
    ScheduleFiring firing;

    @Inject
    @ConfigProperty(name = "flowline.scheduler.enabled", defaultValue = "true")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "flowline.scheduler.poll-seconds", defaultValue = "15")
    int pollSeconds;

    private ScheduledFuture<?> task;

    @PostConstruct
    void start() {
        if (enabled) {
            task = executor.scheduleWithFixedDelay(this::tick, pollSeconds, pollSeconds, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void tick() {
        try {
            while (firing.fireDueBatch() == firing.batchSize()) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            // keep polling: a failed batch rolled back and its schedules stay due for the next tick
            LOG.log(Level.WARNING, "Firing due schedules failed; retrying at the next poll", e);
        }
    }
}
