package dev.flowline.workspaces;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * A {@link WorkspaceRepository} that stores nothing and answers empty or neutral: for tests of other areas (accounts)
 * that trigger workspace operations (the personal workspace at signup) without caring about them. Nobody is a
 * member of anything, so every workspace-scoped call is refused. Goes with {@link NoopInvitationRepository} and
 * {@link NoopRunUsageRepository}.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class NoopWorkspaceRepository extends NeutralWorkspaceRepository {
}
