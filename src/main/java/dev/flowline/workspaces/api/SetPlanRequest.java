package dev.flowline.workspaces.api;

import dev.flowline.workspaces.PlanTier;
import jakarta.validation.constraints.NotNull;

public record SetPlanRequest(@NotNull PlanTier tier) {
}
