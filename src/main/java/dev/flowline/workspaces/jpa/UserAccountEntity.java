package dev.flowline.workspaces.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/**
 * The columns of {@code users} that the workspaces area reads: a member's email and name, the owner's Stripe
 * customer. Read-only; the users area owns the table (and its own mapping, which this area does not reach into).
 */
@Entity
@Table(name = "users")
public class UserAccountEntity {

    @Id
    private UUID id;

    @Column(insertable = false, updatable = false)
    private String email;

    @Column(insertable = false, updatable = false)
    private String name;

    @Column(name = "stripe_customer_id", insertable = false, updatable = false)
    private String stripeCustomerId;

    protected UserAccountEntity() {
    }
}
