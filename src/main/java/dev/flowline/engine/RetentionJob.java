package dev.flowline.engine;

import dev.flowline.workspaces.PlanTier;
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
 * Runs {@link RetentionPruning} every {@code flowline.retention.interval-minutes} (on every instance: batches skip
 * rows another instance holds), at most {@code flowline.retention.max-batches} batches per kind and tick.
 */
@Singleton
@Startup
@DependsOn("LiquibaseMigrator")
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class.getName());

    @Resource
    ManagedScheduledExecutorService executor;

    @Inject
    RetentionPruning pruning;

    @Inject
    @ConfigProperty(name = "flowline.retention.enabled", defaultValue = "true")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "flowline.retention.interval-minutes", defaultValue = "60")
    int intervalMinutes;

    @Inject
    @ConfigProperty(name = "flowline.retention.max-batches", defaultValue = "100")
    int maxBatches;

    private ScheduledFuture<?> task;

    @PostConstruct
    void start() {
        if (enabled) {
            task = executor.scheduleWithFixedDelay(this::tick, 1, intervalMinutes, TimeUnit.MINUTES);
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
            long runs = 0;
            for (PlanTier tier : PlanTier.values()) {
                for (int i = 0; i < maxBatches; i++) {
                    int deleted = pruning.pruneRunBatch(tier);
                    runs += deleted;
                    if (deleted < pruning.batchSize()) {
                        break;
                    }
                }
            }
            long deliveries = 0;
            for (int i = 0; i < maxBatches; i++) {
                int deleted = pruning.pruneDeliveryBatch();
                deliveries += deleted;
                if (deleted < pruning.batchSize()) {
                    break;
                }
            }
            if (runs + deliveries > 0) {
                long prunedRuns = runs;
                long prunedDeliveries = deliveries;
                LOG.info(() -> "Retention: deleted " + prunedRuns + " runs and " + prunedDeliveries + " webhook deliveries");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Retention pruning failed; retrying at the next interval", e);
        }
    }
}
