package dev.flowline.audit;

import dev.flowline.workspaces.PlanCatalog;
import dev.flowline.workspaces.PlanTier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;

/**
 * Deletes audit events past their retention, one small batch per transaction, as {@code engine}'s retention job calls
 * it: a workspace's events after its plan's {@code flowline.plans.<tier>.audit-retention-days}, account events (and
 * those of deleted workspaces) after {@code flowline.audit.account-retention-days}.
 */
@ApplicationScoped
public class AuditRetention {

    @Inject
    AuditRepository events;

    @Inject
    PlanCatalog plans;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "flowline.audit.account-retention-days", defaultValue = "365")
    int accountRetentionDays;

    @Transactional
    public int pruneWorkspaceBatch(PlanTier tier, int batchSize) {
        return events.pruneWorkspaceEvents(tier, clock.instant().minus(Duration.ofDays(plans.auditRetentionDays(tier))),
                batchSize);
    }

    @Transactional
    public int pruneOtherBatch(int batchSize) {
        return events.pruneOtherEvents(clock.instant().minus(Duration.ofDays(accountRetentionDays)), batchSize);
    }
}
