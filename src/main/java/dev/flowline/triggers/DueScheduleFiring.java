package dev.flowline.triggers;

import dev.flowline.platform.json.Jsons;
import dev.flowline.runs.CreateWorkflowRunOutcome;
import dev.flowline.runs.RunLauncher;
import dev.flowline.runs.RunRequest;
import dev.flowline.workflows.CronSchedule;
import dev.flowline.workflows.Schedule;
import dev.flowline.workflows.ScheduleRepository;
import dev.flowline.workflows.Workflow;
import dev.flowline.workflows.WorkflowRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Fires one due schedule in a transaction of its own. The schedule is claimed with FOR UPDATE SKIP LOCKED, so
 * instances polling at the same moment take different schedules; each firing's run carries (workflow, scheduled
 * time) as a unique key, so even a replayed firing cannot fire a time twice. The schedule advances in the same
 * transaction, so a committed firing is never due again for the same time.
 */
@ApplicationScoped
public class DueScheduleFiring {

    private static final Logger LOG = Logger.getLogger(DueScheduleFiring.class.getName());

    /** The firing of one schedule failed; its transaction rolled back. */
    public static class FiringFailedException extends RuntimeException {
        private final UUID workflowId;

        FiringFailedException(UUID workflowId, RuntimeException cause) {
            super("The schedule of workflow " + workflowId + " failed to fire", cause);
            this.workflowId = workflowId;
        }

        public UUID workflowId() {
            return workflowId;
        }
    }

    @Inject
    WorkflowRepository workflows;

    @Inject
    ScheduleRepository schedules;

    @Inject
    RunLauncher launcher;

    @Inject
    @ConfigProperty(name = "flowline.scheduler.max-catch-up", defaultValue = "10")
    int maxCatchUp;

    /**
     * Claims the oldest due schedule not in {@code passedOver} and fires it.
     *
     * @return the workflow of the schedule fired, or empty when none is due
     * @throws FiringFailedException when its firing failed (everything it did is rolled back)
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<UUID> fireNext(Instant now, Set<UUID> passedOver) {
        Optional<Schedule> due = schedules.claimDueSchedules(now, 1, passedOver).stream().findFirst();
        due.ifPresent(schedule -> {
            try {
                fire(schedule, now);
            } catch (RuntimeException e) {
                throw new FiringFailedException(schedule.workflowId(), e);
            }
        });
        return due.map(Schedule::workflowId);
    }

    private void fire(Schedule schedule, Instant now) {
        CronSchedule cron = CronSchedule.parse(schedule.cron(), schedule.timezone());
        MissedFirings.Firings firings = MissedFirings.due(cron, schedule.nextRunAt(), now, schedule.missedFiringPolicy(), maxCatchUp);
        Workflow workflow = workflows.find(schedule.workspaceId(), schedule.workflowId()).orElseThrow();
        for (Instant scheduledFor : firings.scheduledTimes()) {
            JsonObject input = Jsons.createObjectBuilder().add("scheduledFor", scheduledFor.toString()).build();
            CreateWorkflowRunOutcome outcome = launcher.launch(workflow,
                    RunRequest.scheduled(workflow.currentVersion(), input, scheduledFor));
            if (outcome instanceof CreateWorkflowRunOutcome.RefusedByQuota refused) {
                // Visible to the workspace on GET /schedule (lastError), and to operators in the log.
                String error = "The firing of " + scheduledFor + " made no run: the workspace has used all "
                        + refused.allocation() + " runs of its plan in this billing period.";
                schedules.recordScheduleError(workflow.id(), error, now);
                LOG.warning(() -> "Workflow " + workflow.id() + ": " + error);
            } else {
                schedules.recordScheduleError(workflow.id(), null, null);
            }
        }
        schedules.advanceSchedule(schedule.workflowId(), firings.nextRunAt(),
                firings.scheduledTimes().isEmpty() ? schedule.lastFiredAt() : now);
    }
}
