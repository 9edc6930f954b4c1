package dev.flowline.workspaces.jpa;

import dev.flowline.workspaces.OwnershipOffer;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code workspace_ownership_offers}, keyed by the workspace (one offer at a time). Written only by the
 * native upsert of {@link JpaOwnershipOfferRepository#offer}; reads are projections with the workspace's name;
 * answering and withdrawing are guarded bulk deletes. "Open" in a query means not expired at {@code :now}.
 */
@Entity
@Table(name = "workspace_ownership_offers")
@NamedQuery(name = WorkspaceOwnershipOfferEntity.FIND,
        query = "SELECT " + WorkspaceOwnershipOfferEntity.COLUMNS + " FROM WorkspaceOwnershipOfferEntity o JOIN o.workspace w "
                + "WHERE o.workspaceId = :workspaceId")
@NamedQuery(name = WorkspaceOwnershipOfferEntity.LIST_OPEN_FOR_USER,
        query = "SELECT " + WorkspaceOwnershipOfferEntity.COLUMNS + " FROM WorkspaceOwnershipOfferEntity o JOIN o.workspace w "
                + "WHERE o.offeredTo = :userId AND o.expiresAt > :now ORDER BY o.createdAt, o.workspaceId")
@NamedQuery(name = WorkspaceOwnershipOfferEntity.LIST_OPEN_FOR_USER_AFTER,
        query = "SELECT " + WorkspaceOwnershipOfferEntity.COLUMNS + " FROM WorkspaceOwnershipOfferEntity o JOIN o.workspace w "
                + "WHERE o.offeredTo = :userId AND o.expiresAt > :now "
                + "AND (o.createdAt > :at OR (o.createdAt = :at AND o.workspaceId > :id)) "
                + "ORDER BY o.createdAt, o.workspaceId")
@NamedQuery(name = WorkspaceOwnershipOfferEntity.TAKE,
        query = "DELETE FROM WorkspaceOwnershipOfferEntity o WHERE o.workspaceId = :workspaceId "
                + "AND o.offeredBy = :offeredBy AND o.offeredTo = :offeredTo AND o.expiresAt > :now")
@NamedQuery(name = WorkspaceOwnershipOfferEntity.WITHDRAW,
        query = "DELETE FROM WorkspaceOwnershipOfferEntity o WHERE o.workspaceId = :workspaceId "
                + "AND o.offeredBy = :offeredBy")
public class WorkspaceOwnershipOfferEntity {

    static final String FIND = "WorkspaceOwnershipOffer.find";
    static final String LIST_OPEN_FOR_USER = "WorkspaceOwnershipOffer.listOpenForUser";
    static final String LIST_OPEN_FOR_USER_AFTER = "WorkspaceOwnershipOffer.listOpenForUserAfter";
    static final String TAKE = "WorkspaceOwnershipOffer.take";
    static final String WITHDRAW = "WorkspaceOwnershipOffer.withdraw";

    /** The select list that {@link #toOffer(Object[])} reads, for the aliases {@code o} and {@code w} (workspace). */
    static final String COLUMNS = "o.workspaceId, w.name, o.offeredBy, o.offeredTo, o.createdAt, o.expiresAt";

    @Id
    @Column(name = "workspace_id")
    private UUID workspaceId;

    @Column(name = "offered_by", nullable = false)
    private UUID offeredBy;

    @Column(name = "offered_to", nullable = false)
    private UUID offeredTo;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "workspace_id", insertable = false, updatable = false)
    private WorkspaceEntity workspace;

    protected WorkspaceOwnershipOfferEntity() {
    }

    static OwnershipOffer toOffer(Object[] row) {
        return new OwnershipOffer((UUID) row[0], (String) row[1], (UUID) row[2], (UUID) row[3], (Instant) row[4],
                (Instant) row[5]);
    }
}
