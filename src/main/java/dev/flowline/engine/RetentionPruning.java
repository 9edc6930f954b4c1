package dev.flowline.engine;

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

/**
 * Deletes finished runs older than their workspace plan's retention ({@code flowline.plans.<tier>.run-retention-days})
 * and webhook deliveries older than {@code flowline.webhooks.delivery-retention-days}, one small batch per
 * transaction so that pruning never holds locks the API or the engine wait for.
 */
@ApplicationScoped
public class RetentionPruning {

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

    @Transactional
    public int pruneDeliveryBatch() {
        return deliveries.pruneDeliveries(clock.instant().minus(Duration.ofDays(deliveryRetentionDays)), batchSize);
    }

    public int batchSize() {
        return batchSize;
    }
}
