package dev.flowline.support;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Issue reports. Implemented by {@code JpaIssueReportRepository} on PostgreSQL and by test doubles. */
public interface IssueReportRepository {

    IssueReport insertIssueReport(NewIssueReport report, Instant now);

    /** The report, only when {@code reporterUserId} filed it. */
    Optional<IssueReport> findIssueReport(UUID reportId, UUID reporterUserId);
}
