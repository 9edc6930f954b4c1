package dev.flowline.triggers;

import dev.flowline.platform.json.Jsons;
import dev.flowline.runs.CreateWorkflowRunOutcome;
import dev.flowline.runs.RunLauncher;
import dev.flowline.runs.RunRequest;
import dev.flowline.triggers.MissedFirings;
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

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/**
 * Fires due schedules, one batch per transaction. The batch is claimed with FOR UPDATE SKIP LOCKED, so instances
 * running this at the same moment take disjoint schedules; each firing's run carries (workflow, scheduled time) as
 * a unique key, so even a replayed batch cannot fire a time twice. The schedule advances in the same transaction.
 */
@ApplicationScoped
public class ScheduleFiring {

    private static final Logger LOG = Logger.getLogger(ScheduleFiring.class.getName());

    @Inject
    WorkflowRepository workflows;

    @Inject
    ScheduleRepository schedules;

    @Inject
    RunLauncher launcher;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "flowline.scheduler.batch-size", defaultValue = "50")
    int batchSize;

    @Inject
    @ConfigProperty(name = "flowline.scheduler.max-catch-up", defaultValue = "10")
    int maxCatchUp;

    /** Fires one batch; answers how many schedules it claimed (a full batch means: call again). */
    @Transactional
    public int fireDueBatch() {
        Instant now = clock.instant();
        List<Schedule> due = schedules.claimDueSchedules(now, batchSize);
        for (Schedule schedule : due) {
            fire(schedule, now);
        }
        return due.size();
    }

    public int batchSize() {
        return batchSize;
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
