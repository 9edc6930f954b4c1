/**
 * {@link dev.flowline.workspaces.WorkspaceRepository}, {@link dev.flowline.workspaces.InvitationRepository} and
 * {@link dev.flowline.workspaces.RunUsageRepository} on PostgreSQL: entities for the workspace tables (never seen
 * outside this package; reads are JPQL projections mapped to the domain records) and native SQL for what needs
 * PostgreSQL ({@code ON CONFLICT}, {@code RETURNING}, row locks, the run counters keyed by a timestamp).
 */
package dev.flowline.workspaces.jpa;
