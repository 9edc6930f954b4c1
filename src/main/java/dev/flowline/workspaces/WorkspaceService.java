package dev.flowline.workspaces;

import dev.flowline.platform.errors.ResourceNotFoundException;
import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.pagination.Page;
import dev.flowline.users.User;
import dev.flowline.users.UserSignedUp;
import dev.flowline.workspaces.WorkspaceErrors.OperatorOnlyException;
import dev.flowline.workspaces.WorkspaceErrors.OwnerOnlyException;
import dev.flowline.workspaces.WorkspaceErrors.PersonalWorkspaceException;
import dev.flowline.workspaces.WorkspaceErrors.StaleWorkspaceException;
import dev.flowline.workspaces.WorkspaceErrors.WorkspaceLimitReachedException;
import jakarta.enterprise.context.ApplicationScoped;
import dev.flowline.platform.security.Actor;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.UUID;

/**
 * Workspaces: create, list, rename, delete, and the operators' plan override. Ownership moves only by an accepted
 * offer ({@link OwnershipOfferService}).
 */
@ApplicationScoped
@Transactional
public class WorkspaceService {

    static final String PERSONAL_NAME = "Personal";

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    WorkspaceAccess access;

    @Inject
    PlanCatalog plans;

    @Inject
    Operators operators;

    @Inject
    VerifiedEmail verifiedEmail;

    @Inject
    Event<WorkspaceDeleting> deleting;

    @Inject
    Event<WorkspaceOwnerChanged> ownerChanged;

    @Inject
    Event<WorkspaceActivity> activity;

    @Inject
    Clock clock;

    /** Every account gets its personal workspace in the signup transaction. */
    void createPersonalWorkspace(@Observes UserSignedUp signedUp) {
        workspaces.create(PERSONAL_NAME, true, plans.defaultTier(), signedUp.userId(), clock.instant());
    }

    /**
     * A team workspace: only for a verified email address (each workspace has its own run quota, and signing up
     * with any address is free), and at most as many as the account plan allows
     * ({@link PlanCatalog#maxOwnedTeamWorkspaces}), counted under the owner's ownership lock. The personal
     * workspace made at signup needs neither.
     */
    public Membership create(UUID userId, String name) {
        User owner = verifiedEmail.require(userId, "Verify your email address before you create a team workspace.");
        int limit = plans.maxOwnedTeamWorkspaces(owner.plan());
        if (workspaces.lockOwnedTeamWorkspaces(userId) >= limit) {
            throw new WorkspaceLimitReachedException(limit, owner.plan());
        }
        Workspace workspace = workspaces.create(name.strip(), false, plans.defaultTier(), userId, clock.instant());
        ownerChanged.fire(new WorkspaceOwnerChanged(workspace.id(), userId));
        // an observer (billing) may have set the tier from the owner's subscription
        Workspace current = workspaces.findById(workspace.id()).orElse(workspace);
        activity.fire(WorkspaceActivity.created(userId, current));
        return new Membership(current, WorkspaceRole.OWNER);
    }

    public Page<Membership> list(UUID userId, String cursor, Integer limit) {
        int size = Keyset.limit(limit);
        return Keyset.page(workspaces.listForUser(userId, Keyset.decode(cursor), size), size,
                m -> new Keyset(m.workspace().createdAt(), m.workspace().id()));
    }

    public Membership get(UUID workspaceId, UUID userId) {
        WorkspaceRole role = access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        return new Membership(find(workspaceId), role);
    }

    /** Admins rename; with {@code expectedVersion} (If-Match) only the version the caller read. */
    public Membership rename(UUID workspaceId, UUID userId, String name, Long expectedVersion) {
        WorkspaceRole role = access.require(workspaceId, userId, WorkspaceRole.ADMIN);
        String before = find(workspaceId).name();
        Workspace renamed = workspaces.rename(workspaceId, name.strip(), expectedVersion, clock.instant())
                .orElseThrow(StaleWorkspaceException::new);
        if (!before.equals(renamed.name())) {
            activity.fire(WorkspaceActivity.renamed(userId, workspaceId, before, renamed.name()));
        }
        return new Membership(renamed, role);
    }

    /**
     * Owners delete a workspace with everything in it: members, invitations, usage, and (as those areas arrive)
     * its connections, workflows and their runs. A personal workspace stays.
     */
    public void delete(UUID workspaceId, UUID userId) {
        requireOwner(workspaceId, userId, "delete the workspace");
        Workspace workspace = find(workspaceId);
        if (workspace.personal()) {
            throw new PersonalWorkspaceException();
        }
        deleting.fire(new WorkspaceDeleting(workspaceId));
        workspaces.delete(workspaceId);
        activity.fire(WorkspaceActivity.deleted(userId, workspace));
    }

    /** Operators of the installation set any workspace's tier (with billing, tiers otherwise follow Stripe). */
    public Workspace setPlan(UUID workspaceId, UUID operatorId, PlanTier tier) {
        if (!operators.isOperator(operatorId)) {
            throw new OperatorOnlyException();
        }
        PlanTier before = find(workspaceId).planTier();
        if (!workspaces.setPlan(workspaceId, tier, clock.instant())) {
            throw new ResourceNotFoundException("No workspace " + workspaceId + ".");
        }
        if (before != tier) {
            activity.fire(WorkspaceActivity.planChanged(Actor.operator(operatorId), workspaceId, before, tier));
        }
        return find(workspaceId);
    }

    private void requireOwner(UUID workspaceId, UUID userId, String what) {
        if (access.require(workspaceId, userId, WorkspaceRole.VIEWER) != WorkspaceRole.OWNER) {
            throw new OwnerOnlyException(what);
        }
    }

    private Workspace find(UUID workspaceId) {
        return workspaces.findById(workspaceId)
                .orElseThrow(() -> new ResourceNotFoundException("No workspace " + workspaceId + "."));
    }
}
