package dev.flowline.billing.jpa;

import dev.flowline.billing.Subscription;
import dev.flowline.workspaces.BillingPeriod;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code billing_subscriptions}. Written by a native upsert ({@code ON CONFLICT}); read by a projection, so
 * no managed (and, after the upsert, stale) instance stays in the persistence context.
 */
@Entity
@Table(name = "billing_subscriptions")
@NamedQuery(name = BillingSubscriptionEntity.FIND_BY_USER,
        query = "SELECT s.userId, s.stripeSubscriptionId, s.status, s.paid, s.currentPeriodStart, s.currentPeriodEnd, "
                + "s.overageItemId, s.lastEventAt FROM BillingSubscriptionEntity s WHERE s.userId = :userId")
public class BillingSubscriptionEntity {

    static final String FIND_BY_USER = "BillingSubscription.findByUser";

    @Id
    @Column(name = "user_id")
    private UUID userId;

    @Column(name = "stripe_subscription_id", nullable = false)
    private String stripeSubscriptionId;

    @Column(name = "status", nullable = false)
    private String status;

    @Column(name = "paid", nullable = false)
    private boolean paid;

    @Column(name = "current_period_start")
    private Instant currentPeriodStart;

    @Column(name = "current_period_end")
    private Instant currentPeriodEnd;

    @Column(name = "overage_item_id")
    private String overageItemId;

    @Column(name = "last_event_at", nullable = false)
    private Instant lastEventAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected BillingSubscriptionEntity() {
    }

    static Subscription toSubscription(Object[] row) {
        Instant start = (Instant) row[4];
        Instant end = (Instant) row[5];
        return new Subscription((UUID) row[0], (String) row[1], (String) row[2], (Boolean) row[3],
                start == null || end == null ? null : new BillingPeriod(start, end), (String) row[6], (Instant) row[7]);
    }
}
