package dev.flowline.support.jpa;

import dev.flowline.platform.persistence.NullableUuidConverter;
import dev.flowline.support.IssueReport;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code support_issues}; persisted through {@link JpaUserRepository} as the issue asks. */
@Entity
@Table(name = "support_issues")
@NamedQuery(name = IssueReportEntity.FIND_OWN,
        query = "SELECT r FROM IssueReportEntity r WHERE r.id = :id AND r.reporterUserId = :reporter")
public class IssueReportEntity {

    static final String FIND_OWN = "IssueReport.findOwn";

    @Id
    private UUID id;

    @Column(name = "reporter_user_id", nullable = false)
    private UUID reporterUserId;

    @Column(name = "workspace_id")
    @Convert(converter = NullableUuidConverter.class)
    private UUID workspaceId;

    @Column(nullable = false)
    private String text;

    @Column(name = "user_agent")
    private String userAgent;

    @Column(name = "app_version")
    private String appVersion;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected IssueReportEntity() {
    }

    IssueReportEntity(UUID id, UUID reporterUserId, UUID workspaceId, String text, String userAgent,
                      String appVersion, Instant createdAt) {
        this.id = id;
        this.reporterUserId = reporterUserId;
        this.workspaceId = workspaceId;
        this.text = text;
        this.userAgent = userAgent;
        this.appVersion = appVersion;
        this.createdAt = createdAt;
    }

    IssueReport toIssueReport() {
        return new IssueReport(id, reporterUserId, workspaceId, text, userAgent, appVersion, createdAt);
    }
}
