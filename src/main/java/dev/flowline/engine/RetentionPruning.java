package dev.flowline.engine;

import dev.flowline.runs.RunPartition;
import dev.flowline.runs.RunPartitions;
import dev.flowline.runs.RunRepository;
import dev.flowline.triggers.WebhookDeliveryRepository;
import dev.flowline.workspaces.PlanCatalog;
import dev.flowline.workspaces.PlanTier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.logging.Logger;

/**
 * Deletes finished runs older than their workspace plan's retention ({@code flowline.plans.<tier>.run-retention-days})
 * and webhook deliveries older than {@code flowline.webhooks.delivery-retention-days}, one small batch per
 * transaction so that pruning never holds locks the API or the engine wait for.
 */
@ApplicationScoped
public class RetentionPruning {

    private static final Logger LOG = Logger.getLogger(RetentionPruning.class.getName());

    @Inject
    RunPartitions partitions;

    @Inject
    RunRepository runs;

    @Inject
    WebhookDeliveryRepository deliveries;

    @Inject
    PlanCatalog plans;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "flowline.retention.batch-size", defaultValue = "500")
    int batchSize;

    @Inject
    @ConfigProperty(name = "flowline.webhooks.delivery-retention-days", defaultValue = "14")
    int deliveryRetentionDays;

    /** One batch of runs of one tier; answers how many were deleted. */
    @Transactional
    public int pruneRunBatch(PlanTier tier) {
        Instant cutoff = clock.instant().minus(Duration.ofDays(plans.limits(tier).runRetentionDays()));
        return runs.pruneRuns(tier, cutoff, batchSize);
    }

    /**
     * Drops the run partitions (runs and their steps) entirely older than the longest run retention of any plan
     * ({@link RunPartitionPlan#toDrop}): a short transaction detaches the period, another drops its tables (migration
     * 0039's drop_run_partition); then the period's once-keys go in batches, one transaction each.
     * A period with an unfinished run or a dead letter is kept and left to the batches. Answers how many were dropped.
     */
    public int dropRunPartitions() {
        int longest = Arrays.stream(PlanTier.values()).mapToInt(t -> plans.limits(t).runRetentionDays()).max().orElse(0);
        int dropped = 0;
        for (RunPartition period : RunPartitionPlan.toDrop(partitions.list(), longest, clock.instant())) {
            String outcome = partitions.drop(period);
            if ("detached".equals(outcome)) {
                outcome = partitions.dropDetached(period);
            }
            if ("dropped".equals(outcome)) {
                dropped++;
                int batch = Math.max(1, batchSize) * 20;
                long keys = 0;
                for (int n = batch; n == batch; keys += n) {
                    n = partitions.forgetKeys(period, batch);
                }
                long forgotten = keys;
                LOG.info(() -> "Retention: dropped the run partitions " + period.suffix() + " and " + forgotten
                        + " once-keys of their runs");
            } else {
                String kept = outcome;
                LOG.fine(() -> "Retention: run partitions " + period.suffix() + " kept: " + kept);
            }
        }
        return dropped;
    }

    @Transactional
    public int pruneDeliveryBatch() {
        return deliveries.pruneDeliveries(clock.instant().minus(Duration.ofDays(deliveryRetentionDays)), batchSize);
    }

    public int batchSize() {
        return batchSize;
    }
}
