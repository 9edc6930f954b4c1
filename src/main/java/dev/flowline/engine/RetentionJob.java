package dev.flowline.engine;

import dev.flowline.audit.AuditRetention;
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
 * Runs {@link RetentionPruning} and the audit log's {@link AuditRetention} every
 * {@code flowline.retention.interval-minutes} (on every instance: batches skip
 * rows another instance holds), at most {@code flowline.retention.max-batches} batches per kind and tick. A tick that
 * used all its batches of some kind left rows behind: the next tick follows {@link #CATCH_UP_SECONDS} later instead of
 * an interval later, so retention keeps up with any rate of finished runs, in short transactions with a pause between
 * ticks, rather than falling further behind every interval.
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
    AuditRetention audit;

    @Inject
    @ConfigProperty(name = "flowline.retention.enabled", defaultValue = "true")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "flowline.retention.interval-minutes", defaultValue = "60")
    int intervalMinutes;

    @Inject
    @ConfigProperty(name = "flowline.retention.max-batches", defaultValue = "100")
    int maxBatches;

    /** The pause before the next tick when a tick left rows behind. */
    static final long CATCH_UP_SECONDS = 5;
    long catchUpSeconds = CATCH_UP_SECONDS;

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

    void prune() {
        // whole periods first (milliseconds each), so that the batches do not walk rows a drop takes anyway
        pruning.dropRunPartitions();
        long runs = 0;
        boolean behind = false;
        for (PlanTier tier : PlanTier.values()) {
            Drained drained = drain(() -> pruning.pruneRunBatch(tier));
            runs += drained.deleted();
            behind |= drained.behind();
        }
        Drained deliveries = drain(pruning::pruneDeliveryBatch);
        behind |= deliveries.behind();
        long auditEvents = 0;
        for (PlanTier tier : PlanTier.values()) {
            Drained drained = drain(() -> audit.pruneWorkspaceBatch(tier, pruning.batchSize()));
            auditEvents += drained.deleted();
            behind |= drained.behind();
        }
        Drained otherAudit = drain(() -> audit.pruneOtherBatch(pruning.batchSize()));
        auditEvents += otherAudit.deleted();
        behind |= otherAudit.behind();
        if (behind) {
            job.tickAgainAfter(catchUpSeconds, TimeUnit.SECONDS);
        }
        if (runs + deliveries.deleted() + auditEvents > 0) {
            long prunedRuns = runs;
            long prunedAudit = auditEvents;
            String more = behind ? "; more are due, next tick in " + catchUpSeconds + " s" : "";
            LOG.info(() -> "Retention: deleted " + prunedRuns + " runs, " + deliveries.deleted()
                    + " webhook deliveries and " + prunedAudit + " audit events" + more);
        }
    }

    /** What a drain deleted, and whether it stopped at {@code maxBatches} full batches (rows are left). */
    record Drained(long deleted, boolean behind) {
    }

    /** Calls {@code batch} until a batch comes back short, at most {@code maxBatches} times. */
    Drained drain(IntSupplier batch) {
        long total = 0;
        for (int i = 0; i < maxBatches; i++) {
            int deleted = batch.getAsInt();
            total += deleted;
            if (deleted < pruning.batchSize()) {
                return new Drained(total, false);
            }
        }
        return new Drained(total, true);
    }
}
