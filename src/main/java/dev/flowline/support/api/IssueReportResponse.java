package dev.flowline.support.api;

import dev.flowline.support.IssueReport;

import java.time.Instant;
import java.util.UUID;

public record IssueReportResponse(UUID id, UUID workspaceId, String text, String userAgent, String appVersion,
                                  Instant createdAt) {

    static IssueReportResponse of(IssueReport report) {
        return new IssueReportResponse(report.id(), report.workspaceId(), report.text(), report.userAgent(),
                report.appVersion(), report.createdAt());
    }
}
