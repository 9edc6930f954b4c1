package dev.flowline.workspaces.jpa;

import dev.flowline.platform.persistence.SqlTimestamps;
import dev.flowline.workspaces.BillingCycle;
import dev.flowline.workspaces.BillingPeriod;
import dev.flowline.workspaces.RunConsumption;
import dev.flowline.workspaces.RunUsage;
import dev.flowline.workspaces.RunUsageRepository;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link RunUsageRepository} on PostgreSQL. The billing cycle and the overage item are read by named JPQL projections
 * (checked at deployment) and changed by JPQL bulk updates. Native SQL where PostgreSQL is needed, each covered by
 * {@code JpaWorkspaceRepositoryIT}:
 * <ul>
 *   <li>run units: guarded single-statement upserts ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE used <
 *       allocation RETURNING}), so concurrent runs never overshoot; the usage table is keyed by a timestamp, which a
 *       JPA id cannot convert;</li>
 *   <li>billing cycle: an upsert ({@code ON CONFLICT DO UPDATE}).</li>
 * </ul>
 */
@Stateless
public class JpaRunUsageRepository implements RunUsageRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    // --- run usage ---

    /**
     * {@inheritDoc} Within the allocation it is one statement, which creates the period's counter row or increments it
     * under its guard: the row lock it takes is the one every run of the workspace waits for, held until the commit,
     * so the statement does all it must at once. Each guarded update re-checks its condition on the latest row
     * version after waiting for that lock, so concurrent consumers never take more than the allocation.
     */
    @Override
    public RunConsumption tryConsumeRun(UUID workspaceId, BillingPeriod period, int allocation, boolean overageAllowed) {
        while (true) {
            if (allocation > 0 && !em.createNativeQuery("""
                            INSERT INTO workspace_run_usage AS u (workspace_id, period_start, period_end, used, overage)
                            VALUES (?1, ?2, ?3, 1, 0)
                            ON CONFLICT (workspace_id, period_start) DO UPDATE SET used = u.used + 1
                            WHERE u.used < ?4
                            RETURNING u.used""")
                    .setParameter(1, workspaceId)
                    .setParameter(2, SqlTimestamps.of(period.start()))
                    .setParameter(3, SqlTimestamps.of(period.end()))
                    .setParameter(4, allocation)
                    .getResultList().isEmpty()) {
                return RunConsumption.WITHIN_ALLOCATION;
            }
            if (!overageAllowed) {
                return RunConsumption.REFUSED;
            }
            // The allocation is used up (or there is none): the counter row exists, or is created here. Inside the
            // loop: if the workspace was deleted meanwhile, this fails on the foreign key instead of looping.
            if (!em.createNativeQuery("""
                            INSERT INTO workspace_run_usage AS u (workspace_id, period_start, period_end, used, overage)
                            VALUES (?1, ?2, ?3, 0, 1)
                            ON CONFLICT (workspace_id, period_start) DO UPDATE SET overage = u.overage + 1
                            WHERE u.used >= ?4
                            RETURNING u.overage""")
                    .setParameter(1, workspaceId)
                    .setParameter(2, SqlTimestamps.of(period.start()))
                    .setParameter(3, SqlTimestamps.of(period.end()))
                    .setParameter(4, allocation)
                    .getResultList().isEmpty()) {
                return RunConsumption.OVERAGE;
            }
            // A release freed a unit of the allocation between the two statements: take that one.
        }
    }

    @Override
    public void releaseRun(UUID workspaceId, Instant periodStart, RunConsumption kind) {
        String sql = switch (kind) {
            case WITHIN_ALLOCATION -> """
                    UPDATE workspace_run_usage SET used = used - 1
                    WHERE workspace_id = ?1 AND period_start = ?2 AND used > 0""";
            case OVERAGE -> """
                    UPDATE workspace_run_usage SET overage = overage - 1
                    WHERE workspace_id = ?1 AND period_start = ?2 AND overage > 0""";
            case REFUSED -> null;
        };
        if (sql == null) {
            return;
        }
        em.createNativeQuery(sql)
                .setParameter(1, workspaceId)
                .setParameter(2, SqlTimestamps.of(periodStart))
                .executeUpdate();
    }

    @Override
    public RunUsage getRunUsage(UUID workspaceId, BillingPeriod period) {
        List<?> rows = em.createNativeQuery("""
                        SELECT used, overage FROM workspace_run_usage WHERE workspace_id = ?1 AND period_start = ?2""")
                .setParameter(1, workspaceId)
                .setParameter(2, SqlTimestamps.of(period.start()))
                .getResultList();
        if (rows.isEmpty()) {
            return new RunUsage(period, 0, 0);
        }
        Object[] row = (Object[]) rows.get(0);
        return new RunUsage(period, ((Number) row[0]).intValue(), ((Number) row[1]).intValue());
    }

    // --- billing ---

    @Override
    public void upsertBillingCycle(BillingCycle cycle, Instant now) {
        em.createNativeQuery("""
                        INSERT INTO workspace_billing_cycles
                            (workspace_id, stripe_subscription_id, current_period_start, current_period_end, updated_at)
                        VALUES (?1, ?2, ?3, ?4, ?5)
                        ON CONFLICT (workspace_id) DO UPDATE SET
                            stripe_subscription_id = EXCLUDED.stripe_subscription_id,
                            current_period_start = EXCLUDED.current_period_start,
                            current_period_end = EXCLUDED.current_period_end,
                            updated_at = EXCLUDED.updated_at""")
                .setParameter(1, cycle.workspaceId())
                .setParameter(2, cycle.stripeSubscriptionId())
                .setParameter(3, SqlTimestamps.of(cycle.currentPeriod().start()))
                .setParameter(4, SqlTimestamps.of(cycle.currentPeriod().end()))
                .setParameter(5, SqlTimestamps.of(now))
                .executeUpdate();
    }

    @Override
    public Optional<BillingCycle> getBillingCycle(UUID workspaceId) {
        return em.createNamedQuery(WorkspaceBillingCycleEntity.FIND, Object[].class)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .findFirst()
                .map(WorkspaceBillingCycleEntity::toBillingCycle);
    }

    @Override
    public void clearBillingCycle(UUID workspaceId) {
        em.createNamedQuery(WorkspaceBillingCycleEntity.DELETE).setParameter("workspaceId", workspaceId).executeUpdate();
    }

    @Override
    public Optional<String> getOverageSubscriptionItemId(UUID workspaceId) {
        return em.createNamedQuery(WorkspaceEntity.FIND_OVERAGE_ITEM, String.class)
                .setParameter("id", workspaceId)
                .getResultStream()
                .filter(Objects::nonNull)
                .findFirst();
    }

    @Override
    public void setOverageSubscriptionItemId(UUID workspaceId, String subscriptionItemId) {
        em.createNamedQuery(WorkspaceEntity.SET_OVERAGE_ITEM)
                .setParameter("item", subscriptionItemId)
                .setParameter("id", workspaceId)
                .executeUpdate();
    }

    @Override
    public Optional<String> findOwnerStripeCustomerId(UUID workspaceId) {
        return em.createNamedQuery(WorkspaceMemberEntity.FIND_OWNER_STRIPE_CUSTOMER, String.class)
                .setParameter("workspaceId", workspaceId)
                .getResultStream()
                .filter(Objects::nonNull)
                .findFirst();
    }
}
