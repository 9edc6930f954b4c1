package dev.flowline.workspaces.jpa;

import dev.flowline.workspaces.Member;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A row of {@code workspace_members}, keyed by (workspace, user). The two relationships are read-only views of the
 * key columns, there for the joins of the queries below (member lists carry the account's email and name, a user's
 * workspace list carries the workspace). Keyset lists answer {@code limit + 1} rows in (time, id) order.
 */
@Entity
@Table(name = "workspace_members")
@IdClass(WorkspaceMemberEntity.Key.class)
@NamedQuery(name = WorkspaceMemberEntity.LIST_FOR_USER,
        query = "SELECT " + WorkspaceEntity.COLUMNS + ", m.role FROM WorkspaceMemberEntity m JOIN m.workspace w "
                + "WHERE m.userId = :userId ORDER BY w.createdAt, w.id")
@NamedQuery(name = WorkspaceMemberEntity.LIST_FOR_USER_AFTER,
        query = "SELECT " + WorkspaceEntity.COLUMNS + ", m.role FROM WorkspaceMemberEntity m JOIN m.workspace w "
                + "WHERE m.userId = :userId AND (w.createdAt > :at OR (w.createdAt = :at AND w.id > :id)) "
                + "ORDER BY w.createdAt, w.id")
@NamedQuery(name = WorkspaceMemberEntity.FIND_ROLE,
        query = "SELECT m.role FROM WorkspaceMemberEntity m WHERE m.workspaceId = :workspaceId AND m.userId = :userId")
@NamedQuery(name = WorkspaceMemberEntity.FIND,
        query = "SELECT " + WorkspaceMemberEntity.COLUMNS + " FROM WorkspaceMemberEntity m JOIN m.account a "
                + "WHERE m.workspaceId = :workspaceId AND m.userId = :userId")
@NamedQuery(name = WorkspaceMemberEntity.LIST,
        query = "SELECT " + WorkspaceMemberEntity.COLUMNS + " FROM WorkspaceMemberEntity m JOIN m.account a "
                + "WHERE m.workspaceId = :workspaceId ORDER BY m.joinedAt, m.userId")
@NamedQuery(name = WorkspaceMemberEntity.LIST_AFTER,
        query = "SELECT " + WorkspaceMemberEntity.COLUMNS + " FROM WorkspaceMemberEntity m JOIN m.account a "
                + "WHERE m.workspaceId = :workspaceId "
                + "AND (m.joinedAt > :at OR (m.joinedAt = :at AND m.userId > :id)) ORDER BY m.joinedAt, m.userId")
@NamedQuery(name = WorkspaceMemberEntity.COUNT,
        query = "SELECT COUNT(m) FROM WorkspaceMemberEntity m WHERE m.workspaceId = :workspaceId")
@NamedQuery(name = WorkspaceMemberEntity.CHANGE_ROLE_OF_NON_OWNER,
        query = "UPDATE WorkspaceMemberEntity m SET m.role = :role "
                + "WHERE m.workspaceId = :workspaceId AND m.userId = :userId "
                + "AND m.role <> dev.flowline.workspaces.WorkspaceRole.OWNER")
@NamedQuery(name = WorkspaceMemberEntity.REMOVE_NON_OWNER,
        query = "DELETE FROM WorkspaceMemberEntity m WHERE m.workspaceId = :workspaceId AND m.userId = :userId "
                + "AND m.role <> dev.flowline.workspaces.WorkspaceRole.OWNER")
@NamedQuery(name = WorkspaceMemberEntity.SET_ROLE,
        query = "UPDATE WorkspaceMemberEntity m SET m.role = :role "
                + "WHERE m.workspaceId = :workspaceId AND m.userId = :userId")
@NamedQuery(name = WorkspaceMemberEntity.FIND_OWNER,
        query = "SELECT m.userId FROM WorkspaceMemberEntity m "
                + "WHERE m.workspaceId = :workspaceId AND m.role = dev.flowline.workspaces.WorkspaceRole.OWNER")
@NamedQuery(name = WorkspaceMemberEntity.FIND_OWNER_STRIPE_CUSTOMER,
        query = "SELECT a.stripeCustomerId FROM WorkspaceMemberEntity m JOIN m.account a "
                + "WHERE m.workspaceId = :workspaceId AND m.role = dev.flowline.workspaces.WorkspaceRole.OWNER")
public class WorkspaceMemberEntity {

    static final String LIST_FOR_USER = "WorkspaceMember.listForUser";
    static final String LIST_FOR_USER_AFTER = "WorkspaceMember.listForUserAfter";
    static final String FIND_ROLE = "WorkspaceMember.findRole";
    static final String FIND = "WorkspaceMember.find";
    static final String LIST = "WorkspaceMember.list";
    static final String LIST_AFTER = "WorkspaceMember.listAfter";
    static final String COUNT = "WorkspaceMember.count";
    static final String CHANGE_ROLE_OF_NON_OWNER = "WorkspaceMember.changeRoleOfNonOwner";
    static final String REMOVE_NON_OWNER = "WorkspaceMember.removeNonOwner";
    static final String SET_ROLE = "WorkspaceMember.setRole";
    static final String FIND_OWNER = "WorkspaceMember.findOwner";
    static final String FIND_OWNER_STRIPE_CUSTOMER = "WorkspaceMember.findOwnerStripeCustomer";

    /** The select list that {@link #toMember(Object[])} reads, for the aliases {@code m} and {@code a} (account). */
    static final String COLUMNS = "m.workspaceId, m.userId, a.email, a.name, m.role, m.joinedAt";

    @Id
    @Column(name = "workspace_id")
    private UUID workspaceId;

    @Id
    @Column(name = "user_id")
    private UUID userId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private WorkspaceRole role;

    @Column(name = "joined_at", nullable = false, updatable = false)
    private Instant joinedAt;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "workspace_id", insertable = false, updatable = false)
    private WorkspaceEntity workspace;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "user_id", insertable = false, updatable = false)
    private UserAccountEntity account;

    protected WorkspaceMemberEntity() {
    }

    WorkspaceMemberEntity(UUID workspaceId, UUID userId, WorkspaceRole role, Instant joinedAt) {
        this.workspaceId = workspaceId;
        this.userId = userId;
        this.role = role;
        this.joinedAt = joinedAt;
    }

    static Member toMember(Object[] row) {
        return new Member((UUID) row[0], (UUID) row[1], (String) row[2], (String) row[3], (WorkspaceRole) row[4],
                (Instant) row[5]);
    }

    /** The composite primary key (workspace_id, user_id). */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        private UUID workspaceId;
        private UUID userId;

        public Key() {
        }

        public Key(UUID workspaceId, UUID userId) {
            this.workspaceId = workspaceId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(workspaceId, key.workspaceId)
                    && Objects.equals(userId, key.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(workspaceId, userId);
        }
    }
}
