package dev.flowline.engine;

import dev.flowline.platform.persistence.DatabaseAvailability;
import dev.flowline.workspaces.PlanTier;
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
import java.util.function.IntSupplier;
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
    ManagedThreadFactory threads;

    @Inject
    DatabaseAvailability database;

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

    private final FixedDelayJob job = new FixedDelayJob("Retention pruning", this::prune, () -> database);

    @PostConstruct
    void start() {
        if (enabled) {
            job.start(threads, 1, intervalMinutes, TimeUnit.MINUTES);
        }
    }

    /** Stops the job (also called early by {@link EngineShutdown}); stopping again does nothing more. */
    @PreDestroy
    public void stop() {
        job.stop();
    }

    private void prune() {
        long runs = 0;
        for (PlanTier tier : PlanTier.values()) {
            runs += drain(() -> pruning.pruneRunBatch(tier));
        }
        long deliveries = drain(pruning::pruneDeliveryBatch);
        if (runs + deliveries > 0) {
            long prunedRuns = runs;
            LOG.info(() -> "Retention: deleted " + prunedRuns + " runs and " + deliveries + " webhook deliveries");
        }
    }

    /** Calls {@code batch} until a batch comes back short, at most {@code maxBatches} times; answers the total. */
    private long drain(IntSupplier batch) {
        long total = 0;
        for (int i = 0; i < maxBatches; i++) {
            int deleted = batch.getAsInt();
            total += deleted;
            if (deleted < pruning.batchSize()) {
                break;
            }
        }
        return total;
    }
}
