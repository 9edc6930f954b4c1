package dev.flowline.workspaces.jpa;

import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.Workspace;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code workspaces}. Only inserted as an entity; reads are projections ({@link #COLUMNS}, so a stale
 * managed instance is never answered) and changes are bulk updates. Every change moves {@code version} (the ETag):
 * the updates below set it explicitly, and EclipseLink adds {@code version = version + 1} to any bulk update of a
 * {@code @Version} entity that does not (so setting the overage subscription item moves it too).
 */
@Entity
@Table(name = "workspaces")
@NamedQuery(name = WorkspaceEntity.FIND,
        query = "SELECT " + WorkspaceEntity.COLUMNS + " FROM WorkspaceEntity w WHERE w.id = :id")
@NamedQuery(name = WorkspaceEntity.RENAME,
        query = "UPDATE WorkspaceEntity w SET w.name = :name, w.updatedAt = :now, w.version = w.version + 1 "
                + "WHERE w.id = :id")
@NamedQuery(name = WorkspaceEntity.RENAME_AT_VERSION,
        query = "UPDATE WorkspaceEntity w SET w.name = :name, w.updatedAt = :now, w.version = w.version + 1 "
                + "WHERE w.id = :id AND w.version = :version")
@NamedQuery(name = WorkspaceEntity.DELETE,
        query = "DELETE FROM WorkspaceEntity w WHERE w.id = :id")
@NamedQuery(name = WorkspaceEntity.FIND_PLAN,
        query = "SELECT w.planTier FROM WorkspaceEntity w WHERE w.id = :id")
@NamedQuery(name = WorkspaceEntity.SET_PLAN,
        query = "UPDATE WorkspaceEntity w SET w.planTier = :tier, w.updatedAt = :now, w.version = w.version + 1 "
                + "WHERE w.id = :id")
@NamedQuery(name = WorkspaceEntity.FIND_OVERAGE_ITEM,
        query = "SELECT w.overageSubscriptionItemId FROM WorkspaceEntity w WHERE w.id = :id")
@NamedQuery(name = WorkspaceEntity.SET_OVERAGE_ITEM,
        query = "UPDATE WorkspaceEntity w SET w.overageSubscriptionItemId = :item WHERE w.id = :id")
public class WorkspaceEntity {

    static final String FIND = "Workspace.find";
    static final String RENAME = "Workspace.rename";
    static final String RENAME_AT_VERSION = "Workspace.renameAtVersion";
    static final String DELETE = "Workspace.delete";
    static final String FIND_PLAN = "Workspace.findPlan";
    static final String SET_PLAN = "Workspace.setPlan";
    static final String FIND_OVERAGE_ITEM = "Workspace.findOverageItem";
    static final String SET_OVERAGE_ITEM = "Workspace.setOverageItem";

    /** The select list that {@link #toWorkspace(Object[], int)} reads, for the alias {@code w}. */
    static final String COLUMNS = "w.id, w.name, w.personal, w.planTier, w.createdAt, w.updatedAt, w.version";
    static final int COLUMN_COUNT = 7;

    @Id
    private UUID id;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private boolean personal;

    @Enumerated(EnumType.STRING)
    @Column(name = "plan_tier", nullable = false)
    private PlanTier planTier;

    @Column(name = "overage_subscription_item_id")
    private String overageSubscriptionItemId;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected WorkspaceEntity() {
    }

    WorkspaceEntity(UUID id, String name, boolean personal, PlanTier planTier, Instant now) {
        this.id = id;
        this.name = name;
        this.personal = personal;
        this.planTier = planTier;
        this.createdAt = now;
        this.updatedAt = now;
    }

    Workspace toWorkspace() {
        return new Workspace(id, name, personal, planTier, createdAt, updatedAt, version);
    }

    /** A workspace from {@link #COLUMNS} starting at {@code row[from]}. */
    static Workspace toWorkspace(Object[] row, int from) {
        return new Workspace((UUID) row[from], (String) row[from + 1], (Boolean) row[from + 2],
                (PlanTier) row[from + 3], (Instant) row[from + 4], (Instant) row[from + 5],
                ((Number) row[from + 6]).longValue());
    }
}
