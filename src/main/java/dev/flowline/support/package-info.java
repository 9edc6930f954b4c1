/**
 * Issue reports from users, optionally about a workspace they belong to. Uses {@code workspaces} (for the tenancy
 * check) and {@code platform}.
 */
package dev.flowline.support;
