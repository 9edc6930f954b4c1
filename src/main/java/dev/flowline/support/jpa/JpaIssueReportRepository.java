package dev.flowline.support.jpa;

import dev.flowline.support.IssueReport;
import dev.flowline.support.IssueReportRepository;
import dev.flowline.support.NewIssueReport;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** {@link IssueReportRepository} on PostgreSQL. */
@Stateless
public class JpaIssueReportRepository implements IssueReportRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public IssueReport insertIssueReport(NewIssueReport report, Instant now) {
        IssueReportEntity entity = new IssueReportEntity(UUID.randomUUID(), report.reporterUserId(),
                report.workspaceId(), report.text(), report.userAgent(), report.appVersion(), now);
        em.persist(entity);
        em.flush();
        return entity.toIssueReport();
    }

    @Override
    public Optional<IssueReport> findIssueReport(UUID reportId, UUID reporterUserId) {
        return em.createNamedQuery(IssueReportEntity.FIND_OWN, IssueReportEntity.class)
                .setParameter("id", reportId)
                .setParameter("reporter", reporterUserId)
                .getResultStream()
                .findFirst()
                .map(IssueReportEntity::toIssueReport);
    }
}
