/**
 * Accounts: users, their settings and plan, and the single-use emailed tokens (verification, password reset).
 * Uses {@code platform}; used by {@code auth}, {@code workspaces} and everything above. Fires {@code UserSignedUp}.
 */
package dev.flowline.users;
