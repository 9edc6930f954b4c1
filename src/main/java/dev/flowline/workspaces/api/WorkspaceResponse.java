package dev.flowline.workspaces.api;

import dev.flowline.workspaces.Membership;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.WorkspaceRole;

import java.time.Instant;
import java.util.UUID;

/** A workspace as the caller sees it: {@code role} is the caller's. */
public record WorkspaceResponse(UUID id, String name, boolean personal, PlanTier plan, WorkspaceRole role,
                                Instant createdAt, Instant updatedAt) {

    static WorkspaceResponse of(Membership membership) {
        var w = membership.workspace();
        return new WorkspaceResponse(w.id(), w.name(), w.personal(), w.planTier(), membership.role(), w.createdAt(),
                w.updatedAt());
    }
}
