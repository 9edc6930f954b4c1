package dev.flowline.support;

import dev.flowline.platform.errors.ResourceNotFoundException;
import dev.flowline.workspaces.WorkspaceAccess;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.UUID;

/**
 * Issue reports from users. The optional workspace must be one the reporter belongs to (403 otherwise), so a report
 * never points into another tenant.
 */
@ApplicationScoped
@Transactional
public class SupportService {

    @Inject
    IssueReportRepository reports;

    @Inject
    WorkspaceAccess access;

    @Inject
    Clock clock;

    public IssueReport file(NewIssueReport report) {
        if (report.workspaceId() != null) {
            access.require(report.workspaceId(), report.reporterUserId(), WorkspaceRole.VIEWER);
        }
        return reports.insertIssueReport(report, clock.instant());
    }

    /** Only the reporter sees a report; anyone else gets 404, not 403, so ids reveal nothing. */
    public IssueReport get(UUID reportId, UUID callerId) {
        return reports.findIssueReport(reportId, callerId)
                .orElseThrow(() -> new ResourceNotFoundException("No issue report " + reportId + "."));
    }
}
