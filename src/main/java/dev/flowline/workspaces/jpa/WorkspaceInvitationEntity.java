package dev.flowline.workspaces.jpa;

import dev.flowline.platform.persistence.NullableUuidConverter;
import dev.flowline.workspaces.Invitation;
import dev.flowline.workspaces.InvitationStatus;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code workspace_invitations}; the emailed token is stored only as its hash. Inserted as an entity
 * (under the workspace's row lock, see {@link JpaInvitationRepository#tryCreateInvitation}); reads are projections
 * with the workspace's name; answering is a guarded update. "Pending" in a query means status PENDING and not
 * expired at {@code :now}.
 */
@Entity
@Table(name = "workspace_invitations")
@NamedQuery(name = WorkspaceInvitationEntity.COUNT_PENDING,
        query = "SELECT COUNT(i) FROM WorkspaceInvitationEntity i WHERE i.workspaceId = :workspaceId "
                + "AND i.status = dev.flowline.workspaces.InvitationStatus.PENDING AND i.expiresAt > :now")
@NamedQuery(name = WorkspaceInvitationEntity.REVOKE_EXPIRED_FOR_EMAIL,
        query = "UPDATE WorkspaceInvitationEntity i SET i.status = :revoked, i.respondedAt = :now "
                + "WHERE i.workspaceId = :workspaceId AND LOWER(i.email) = LOWER(:email) "
                + "AND i.status = dev.flowline.workspaces.InvitationStatus.PENDING AND i.expiresAt <= :now")
@NamedQuery(name = WorkspaceInvitationEntity.FIND,
        query = "SELECT " + WorkspaceInvitationEntity.COLUMNS + " FROM WorkspaceInvitationEntity i JOIN i.workspace w "
                + "WHERE i.id = :id AND i.workspaceId = :workspaceId")
@NamedQuery(name = WorkspaceInvitationEntity.FIND_BY_TOKEN_HASH,
        query = "SELECT " + WorkspaceInvitationEntity.COLUMNS + " FROM WorkspaceInvitationEntity i JOIN i.workspace w "
                + "WHERE i.tokenHash = :hash")
@NamedQuery(name = WorkspaceInvitationEntity.LIST_PENDING,
        query = "SELECT " + WorkspaceInvitationEntity.COLUMNS + " FROM WorkspaceInvitationEntity i JOIN i.workspace w "
                + "WHERE i.workspaceId = :workspaceId "
                + "AND i.status = dev.flowline.workspaces.InvitationStatus.PENDING AND i.expiresAt > :now "
                + "ORDER BY i.createdAt, i.id")
@NamedQuery(name = WorkspaceInvitationEntity.LIST_PENDING_AFTER,
        query = "SELECT " + WorkspaceInvitationEntity.COLUMNS + " FROM WorkspaceInvitationEntity i JOIN i.workspace w "
                + "WHERE i.workspaceId = :workspaceId "
                + "AND i.status = dev.flowline.workspaces.InvitationStatus.PENDING AND i.expiresAt > :now "
                + "AND (i.createdAt > :at OR (i.createdAt = :at AND i.id > :id)) "
                + "ORDER BY i.createdAt, i.id")
@NamedQuery(name = WorkspaceInvitationEntity.LIST_PENDING_FOR_EMAIL,
        query = "SELECT " + WorkspaceInvitationEntity.COLUMNS + " FROM WorkspaceInvitationEntity i JOIN i.workspace w "
                + "WHERE LOWER(i.email) = LOWER(:email) "
                + "AND i.status = dev.flowline.workspaces.InvitationStatus.PENDING AND i.expiresAt > :now "
                + "ORDER BY i.createdAt, i.id")
@NamedQuery(name = WorkspaceInvitationEntity.LIST_PENDING_FOR_EMAIL_AFTER,
        query = "SELECT " + WorkspaceInvitationEntity.COLUMNS + " FROM WorkspaceInvitationEntity i JOIN i.workspace w "
                + "WHERE LOWER(i.email) = LOWER(:email) "
                + "AND i.status = dev.flowline.workspaces.InvitationStatus.PENDING AND i.expiresAt > :now "
                + "AND (i.createdAt > :at OR (i.createdAt = :at AND i.id > :id)) "
                + "ORDER BY i.createdAt, i.id")
@NamedQuery(name = WorkspaceInvitationEntity.DECLINE,
        query = "UPDATE WorkspaceInvitationEntity i SET i.status = :declined, i.respondedAt = :now "
                + "WHERE i.tokenHash = :hash "
                + "AND i.status = dev.flowline.workspaces.InvitationStatus.PENDING AND i.expiresAt > :now")
@NamedQuery(name = WorkspaceInvitationEntity.REVOKE,
        query = "UPDATE WorkspaceInvitationEntity i SET i.status = :revoked, i.respondedAt = :now "
                + "WHERE i.id = :id AND i.workspaceId = :workspaceId "
                + "AND i.status = dev.flowline.workspaces.InvitationStatus.PENDING")
@NamedQuery(name = WorkspaceInvitationEntity.RENEW,
        query = "UPDATE WorkspaceInvitationEntity i SET i.tokenHash = :hash, i.expiresAt = :expiresAt, i.resentAt = :now "
                + "WHERE i.id = :id AND i.workspaceId = :workspaceId "
                + "AND i.status = dev.flowline.workspaces.InvitationStatus.PENDING "
                + "AND (i.resentAt IS NULL OR i.resentAt <= :resentBefore)")
@NamedQuery(name = WorkspaceInvitationEntity.FIND_RESENT_AT,
        query = "SELECT i.resentAt FROM WorkspaceInvitationEntity i WHERE i.id = :id AND i.workspaceId = :workspaceId "
                + "AND i.status = dev.flowline.workspaces.InvitationStatus.PENDING")
public class WorkspaceInvitationEntity {

    static final String COUNT_PENDING = "WorkspaceInvitation.countPending";
    static final String REVOKE_EXPIRED_FOR_EMAIL = "WorkspaceInvitation.revokeExpiredForEmail";
    static final String FIND = "WorkspaceInvitation.find";
    static final String FIND_BY_TOKEN_HASH = "WorkspaceInvitation.findByTokenHash";
    static final String LIST_PENDING = "WorkspaceInvitation.listPending";
    static final String LIST_PENDING_AFTER = "WorkspaceInvitation.listPendingAfter";
    static final String LIST_PENDING_FOR_EMAIL = "WorkspaceInvitation.listPendingForEmail";
    static final String LIST_PENDING_FOR_EMAIL_AFTER = "WorkspaceInvitation.listPendingForEmailAfter";
    static final String DECLINE = "WorkspaceInvitation.decline";
    static final String REVOKE = "WorkspaceInvitation.revoke";
    static final String RENEW = "WorkspaceInvitation.renew";
    static final String FIND_RESENT_AT = "WorkspaceInvitation.findResentAt";

    /** The select list that {@link #toInvitation(Object[])} reads, for the aliases {@code i} and {@code w}. */
    static final String COLUMNS = "i.id, i.workspaceId, w.name, i.email, i.role, i.status, i.invitedBy, "
            + "i.createdAt, i.expiresAt, i.respondedAt";

    @Id
    private UUID id;

    @Column(name = "workspace_id", nullable = false)
    private UUID workspaceId;

    @Column(nullable = false)
    private String email;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private WorkspaceRole role;

    @Column(name = "token_hash", nullable = false)
    private String tokenHash;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private InvitationStatus status;

    @Convert(converter = NullableUuidConverter.class)
    @Column(name = "invited_by")
    private UUID invitedBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "responded_at")
    private Instant respondedAt;

    /** The last resend (null until the first): resends are paced from it. */
    @Column(name = "resent_at")
    private Instant resentAt;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "workspace_id", insertable = false, updatable = false)
    private WorkspaceEntity workspace;

    protected WorkspaceInvitationEntity() {
    }

    WorkspaceInvitationEntity(UUID id, UUID workspaceId, String email, WorkspaceRole role, String tokenHash,
                              UUID invitedBy, Instant createdAt, Instant expiresAt) {
        this.id = id;
        this.workspaceId = workspaceId;
        this.email = email;
        this.role = role;
        this.tokenHash = tokenHash;
        this.status = InvitationStatus.PENDING;
        this.invitedBy = invitedBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    Invitation toInvitation(String workspaceName) {
        return new Invitation(id, workspaceId, workspaceName, email, role, status, invitedBy, createdAt, expiresAt,
                respondedAt);
    }

    static Invitation toInvitation(Object[] row) {
        return new Invitation((UUID) row[0], (UUID) row[1], (String) row[2], (String) row[3], (WorkspaceRole) row[4],
                (InvitationStatus) row[5], (UUID) row[6], (Instant) row[7], (Instant) row[8], (Instant) row[9]);
    }
}
