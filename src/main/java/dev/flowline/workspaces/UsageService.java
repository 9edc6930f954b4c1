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
        return new WorkspaceUsage(limits, workspaces.countSeats(workspaceId, clock.instant()),
                workspaces.getRunUsage(workspaceId, quotas.currentPeriod(workspaceId)));
    }
}
