package dev.flowline.triggers;

import dev.flowline.platform.persistence.ConnectionFailure;
import dev.flowline.workflows.ScheduleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires every due schedule, each in its own transaction ({@link DueScheduleFiring}), so that a schedule whose firing
 * fails rolls back only itself: the others fire. A failed schedule stays due (the next poll tries it again, and a
 * run's unique key (workflow, scheduled time) means a retry never fires a time twice); its error is recorded on the
 * schedule (GET /schedule shows {@code lastError}) and logged, and this poll passes over it.
 */
@ApplicationScoped
public class ScheduleFiring {

    private static final Logger LOG = Logger.getLogger(ScheduleFiring.class.getName());

    static final String FAILED = "The firing failed on the server (the error is logged for the operators); it is"
            + " tried again at the next poll.";

    @Inject
    DueScheduleFiring dueSchedule;

    @Inject
    ScheduleRepository schedules;

    @Inject
    Clock clock;

    /**
     * Fires the schedules due now until none is left but those that failed in this call. Not transactional itself:
     * each schedule commits or rolls back alone.
     *
     * @return how many schedules were claimed (fired, or failed)
     */
    public int fireDue() {
        Instant now = clock.instant();
        Set<UUID> failed = new HashSet<>();
        int claimed = 0;
        while (true) {
            Optional<UUID> fired;
            try {
                fired = dueSchedule.fireNext(now, failed);
            } catch (DueScheduleFiring.FiringFailedException e) {
                if (ConnectionFailure.in(e)) {
                    throw e; // the database went away: not this schedule's fault, nothing to record; the poll retries
                }
                failed.add(e.workflowId());
                claimed++;
                LOG.log(Level.WARNING, e, () -> "The schedule of workflow " + e.workflowId() + " failed to fire;"
                        + " the other due schedules fire, this one is retried at the next poll");
                recordFailure(e.workflowId(), now);
                continue;
            }
            if (fired.isEmpty()) {
                return claimed;
            }
            claimed++;
        }
    }

    /** In a transaction of its own (the firing's rolled back); a schedule deleted meanwhile has nothing to record. */
    private void recordFailure(UUID workflowId, Instant now) {
        try {
            schedules.recordScheduleError(workflowId, FAILED, now);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Could not record the failed firing of workflow " + workflowId);
        }
    }
}
