package dev.flowline.audit;

import dev.flowline.platform.pagination.Keyset;
import dev.flowline.workspaces.PlanTier;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The {@code audit_events} table: appended to in the caller's transaction, read newest first in keyset pages, and
 * pruned by retention. There is no update: the database refuses one too.
 */
public interface AuditRepository {

    void append(AuditEvent event);

    /** A workspace's events matching {@code filter}, newest first, after {@code after} (null: from the newest). */
    List<AuditEvent> listForWorkspace(UUID workspaceId, AuditFilter filter, Keyset after, int limit);

    /** The events about one account (sign-ins, password, profile, personal credentials), newest first. */
    List<AuditEvent> listForAccount(UUID accountId, AuditFilter filter, Keyset after, int limit);

    /** Deletes up to {@code batchSize} events older than {@code cutoff} of workspaces on {@code tier}. */
    int pruneWorkspaceEvents(PlanTier tier, Instant cutoff, int batchSize);

    /** Deletes up to {@code batchSize} events older than {@code cutoff} of no workspace, or of one since deleted. */
    int pruneOtherEvents(Instant cutoff, int batchSize);
}
