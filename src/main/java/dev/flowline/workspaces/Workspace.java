package dev.flowline.workspaces;

import java.time.Instant;
import java.util.UUID;

/** A workspace. {@code version} is the optimistic-lock version, exposed as the ETag. */
public record Workspace(UUID id, String name, boolean personal, PlanTier planTier, Instant createdAt,
                        Instant updatedAt, long version) {
}
