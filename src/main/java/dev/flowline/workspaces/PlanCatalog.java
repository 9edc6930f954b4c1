package dev.flowline.workspaces;

import dev.flowline.users.AccountPlan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.util.Locale;
import java.util.Optional;

/**
 * Plan tiers and their limits, from configuration: {@code flowline.plans.<tier>.seats}, {@code .runs-per-period},
 * {@code .overage-allowed}, {@code .shared-connections}, {@code .run-retention-days} (tier in lower case), and the tier of new workspaces,
 * {@code flowline.plans.default-tier}: WORKSPACE while billing is off, SOLO once Stripe billing is configured
 * ({@code flowline.stripe.api-key}), since tiers then change only through billing.
 */
@ApplicationScoped
public class PlanCatalog {

    @Inject
    Config config;

    public PlanLimits limits(PlanTier tier) {
        String prefix = "flowline.plans." + tier.name().toLowerCase(Locale.ROOT) + ".";
        boolean team = tier == PlanTier.WORKSPACE;
        return new PlanLimits(tier,
                config.getOptionalValue(prefix + "seats", Integer.class).orElse(team ? 10 : 1),
                config.getOptionalValue(prefix + "runs-per-period", Integer.class).orElse(team ? 10_000 : 1_000),
                config.getOptionalValue(prefix + "overage-allowed", Boolean.class).orElse(team),
                config.getOptionalValue(prefix + "shared-connections", Boolean.class).orElse(team),
                config.getOptionalValue(prefix + "run-retention-days", Integer.class).orElse(team ? 90 : 30));
    }

    /**
     * How long the audit log keeps a workspace's events: {@code flowline.plans.<tier>.audit-retention-days} (tier in
     * lower case), by default 365 days on WORKSPACE and 90 on SOLO.
     */
    public int auditRetentionDays(PlanTier tier) {
        return config.getOptionalValue("flowline.plans." + tier.name().toLowerCase(Locale.ROOT) + ".audit-retention-days",
                Integer.class).orElse(tier == PlanTier.WORKSPACE ? 365 : 90);
    }

    /**
     * How many team (not personal) workspaces a user on {@code plan} may own:
     * {@code flowline.accounts.<plan>.team-workspaces} (plan in lower case), by default 3 on FREE and 20 on PRO.
     * Workspaces carry the run quotas, so without this anyone could multiply them.
     */
    public int maxOwnedTeamWorkspaces(AccountPlan plan) {
        return config.getOptionalValue("flowline.accounts." + plan.name().toLowerCase(Locale.ROOT) + ".team-workspaces",
                Integer.class).orElse(plan == AccountPlan.PRO ? 20 : 3);
    }

    public PlanTier defaultTier() {
        return config.getOptionalValue("flowline.plans.default-tier", String.class)
                .map(value -> PlanTier.valueOf(value.trim().toUpperCase(Locale.ROOT)))
                .orElse(billingEnabled() ? PlanTier.SOLO : PlanTier.WORKSPACE);
    }

    public boolean billingEnabled() {
        Optional<String> apiKey = config.getOptionalValue("flowline.stripe.api-key", String.class);
        return apiKey.filter(key -> !key.isBlank()).isPresent();
    }
}
