package dev.flowline.support;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link IssueReportRepository} in memory, beside the in-memory users (a stored report names its reporter). */
@Alternative
@Priority(1000)
@ApplicationScoped
public class InMemoryIssueReportRepository implements IssueReportRepository {

    private final Map<UUID, IssueReport> reports = new HashMap<>();

    @Override
    public synchronized IssueReport insertIssueReport(NewIssueReport report, Instant now) {
        IssueReport stored = new IssueReport(UUID.randomUUID(), report.reporterUserId(), report.workspaceId(),
                report.text(), report.userAgent(), report.appVersion(), now);
        reports.put(stored.id(), stored);
        return stored;
    }

    @Override
    public synchronized Optional<IssueReport> findIssueReport(UUID reportId, UUID reporterUserId) {
        return Optional.ofNullable(reports.get(reportId)).filter(r -> r.reporterUserId().equals(reporterUserId));
    }
}
