package dev.flowline.audit;

import dev.flowline.audit.AuditErrors.InvalidAuditFilterException;
import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.pagination.Page;
import dev.flowline.workspaces.Operators;
import dev.flowline.workspaces.WorkspaceAccess;
import dev.flowline.workspaces.WorkspaceErrors.OperatorOnlyException;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.UUID;

/**
 * Reading the log, one keyset page per call (and per transaction, so an export streams page after page without a
 * transaction or the whole log in memory): a workspace's events for its owner and admins, any workspace's for
 * operators, and one's own account events.
 */
@ApplicationScoped
@Transactional
public class AuditService {

    @Inject
    AuditRepository events;

    @Inject
    WorkspaceAccess access;

    @Inject
    Operators operators;

    /** Owners and admins; other members and outsiders are refused by the tenancy gate. */
    public Page<AuditEvent> workspaceEvents(UUID workspaceId, UUID userId, AuditFilter filter, String cursor,
                                            Integer limit) {
        access.require(workspaceId, userId, WorkspaceRole.ADMIN);
        return workspacePage(workspaceId, filter, cursor, limit);
    }

    /** Operators of the installation ({@code flowline.operators}) read any workspace's events. */
    public Page<AuditEvent> workspaceEventsForOperator(UUID workspaceId, UUID operatorId, AuditFilter filter,
                                                       String cursor, Integer limit) {
        if (!operators.isOperator(operatorId)) {
            throw new OperatorOnlyException();
        }
        return workspacePage(workspaceId, filter, cursor, limit);
    }

    /** The events about the caller's own account. */
    public Page<AuditEvent> accountEvents(UUID userId, AuditFilter filter, String cursor, Integer limit) {
        check(filter);
        int size = Keyset.limit(limit);
        return Keyset.page(events.listForAccount(userId, filter, Keyset.decode(cursor), size + 1), size,
                AuditService::position);
    }

    private Page<AuditEvent> workspacePage(UUID workspaceId, AuditFilter filter, String cursor, Integer limit) {
        check(filter);
        int size = Keyset.limit(limit);
        return Keyset.page(events.listForWorkspace(workspaceId, filter, Keyset.decode(cursor), size + 1), size,
                AuditService::position);
    }

    private static void check(AuditFilter filter) {
        if (filter.event() != null && !AuditEntries.EVENT_NAME.matcher(filter.event()).matches()) {
            throw new InvalidAuditFilterException("event", "an event name such as workflow.updated");
        }
        if (filter.since() != null && filter.until() != null && !filter.since().isBefore(filter.until())) {
            throw new InvalidAuditFilterException("until", "must be after since");
        }
    }

    private static Keyset position(AuditEvent event) {
        return new Keyset(event.occurredAt(), event.id());
    }
}
