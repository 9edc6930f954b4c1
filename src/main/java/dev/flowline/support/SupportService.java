package dev.flowline.support;

import dev.flowline.platform.errors.ResourceNotFoundException;
import dev.flowline.users.UserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.UUID;

/**
 * Issue reports from users. Stored through {@link UserRepository}, which owns the reporter's data.
 * The optional workspace id is context only; once workspaces exist it must name one the reporter belongs to.
 */
@ApplicationScoped
@Transactional
public class SupportService {

    @Inject
    UserRepository users;

    @Inject
    Clock clock;

    public IssueReport file(NewIssueReport report) {
        return users.insertIssueReport(report, clock.instant());
    }

    /** Only the reporter sees a report; anyone else gets 404, not 403, so ids reveal nothing. */
    public IssueReport get(UUID reportId, UUID callerId) {
        return users.findIssueReport(reportId, callerId)
                .orElseThrow(() -> new ResourceNotFoundException("No issue report " + reportId + "."));
    }
}
