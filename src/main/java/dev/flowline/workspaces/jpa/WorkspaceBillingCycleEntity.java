package dev.flowline.workspaces.jpa;

import dev.flowline.workspaces.BillingCycle;
import dev.flowline.workspaces.BillingPeriod;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code workspace_billing_cycles}. Written by a native upsert ({@code ON CONFLICT}); read and cleared here. */
@Entity
@Table(name = "workspace_billing_cycles")
@NamedQuery(name = WorkspaceBillingCycleEntity.FIND,
        query = "SELECT c.workspaceId, c.stripeSubscriptionId, c.currentPeriodStart, c.currentPeriodEnd "
                + "FROM WorkspaceBillingCycleEntity c WHERE c.workspaceId = :workspaceId")
@NamedQuery(name = WorkspaceBillingCycleEntity.DELETE,
        query = "DELETE FROM WorkspaceBillingCycleEntity c WHERE c.workspaceId = :workspaceId")
public class WorkspaceBillingCycleEntity {

    static final String FIND = "WorkspaceBillingCycle.find";
    static final String DELETE = "WorkspaceBillingCycle.delete";

    @Id
    @Column(name = "workspace_id")
    private UUID workspaceId;

    @Column(name = "stripe_subscription_id", nullable = false)
    private String stripeSubscriptionId;

    @Column(name = "current_period_start", nullable = false)
    private Instant currentPeriodStart;

    @Column(name = "current_period_end", nullable = false)
    private Instant currentPeriodEnd;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected WorkspaceBillingCycleEntity() {
    }

    static BillingCycle toBillingCycle(Object[] row) {
        return new BillingCycle((UUID) row[0], (String) row[1], new BillingPeriod((Instant) row[2], (Instant) row[3]));
    }
}
