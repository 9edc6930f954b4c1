package dev.flowline.users;

/**
 * The personal plan of an account, changed only by billing. Workspace plan tiers (seats, run quotas) are the
 * workspaces area's; this is what the person pays for.
 */
public enum AccountPlan {
    FREE,
    PRO
}
