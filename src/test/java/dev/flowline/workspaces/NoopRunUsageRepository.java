package dev.flowline.workspaces;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * A {@link RunUsageRepository} that stores nothing and answers empty or neutral: goes with
 * {@link NoopWorkspaceRepository} in tests of other areas that do not care about run quotas or billing cycles.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class NoopRunUsageRepository extends NeutralRunUsageRepository {
}
