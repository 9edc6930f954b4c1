package dev.flowline.workspaces;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.UUID;

/** What a workspace has used of its plan. */
@ApplicationScoped
@Transactional
public class UsageService {

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    InvitationRepository invitations;

    @Inject
    RunUsageRepository runUsage;

    @Inject
    WorkspaceAccess access;

    @Inject
    PlanCatalog plans;

    @Inject
    RunQuotaService quotas;

    @Inject
    Clock clock;

    public WorkspaceUsage usage(UUID workspaceId, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        PlanLimits limits = plans.limits(workspaces.getPlan(workspaceId).orElseThrow());
        return new WorkspaceUsage(limits, invitations.countSeats(workspaceId, clock.instant()),
                runUsage.getRunUsage(workspaceId, quotas.currentPeriod(workspaceId)));
    }
}
