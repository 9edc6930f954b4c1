package dev.flowline.workflows;

import dev.flowline.platform.errors.ResourceNotFoundException;
import dev.flowline.workflows.WorkflowErrors.WorkflowNotFoundException;
import dev.flowline.workflows.WorkflowErrors.WrongTriggerException;
import dev.flowline.workspaces.VerifiedEmail;
import dev.flowline.workspaces.WorkspaceAccess;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Schedules of workflows whose trigger is {@code trigger.schedule}: a 5-field cron expression in an IANA time zone
 * (daylight-saving rules in {@link CronSchedule}), a policy for firings missed while down, pause and resume.
 */
@ApplicationScoped
@Transactional
public class ScheduleService {

    public static final String TRIGGER = "trigger.schedule";
    static final int SHOWN_FIRINGS = 5;

    @Inject
    VerifiedEmail verifiedEmail;

    @Inject
    WorkflowRepository workflows;

    @Inject
    ScheduleRepository schedules;

    @Inject
    WorkspaceAccess access;

    @Inject
    Event<WorkflowActivity> activity;

    @Inject
    Clock clock;

    public ScheduleView get(UUID workspaceId, UUID workflowId, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        workflow(workspaceId, workflowId);
        return view(find(workspaceId, workflowId));
    }

    /** Sets (or replaces) the schedule; the next firing is computed from now. */
    public ScheduleView put(UUID workspaceId, UUID workflowId, UUID userId, String cron, String timezone,
                            MissedFiringPolicy policy) {
        access.require(workspaceId, userId, WorkspaceRole.MEMBER);
        verifiedEmail.require(userId, VerifiedEmail.TO_START_RUNS);
        Workflow workflow = workflow(workspaceId, workflowId);
        if (!TRIGGER.equals(workflow.triggerType())) {
            throw new WrongTriggerException(TRIGGER);
        }
        CronSchedule parsed = CronSchedule.parse(cron, timezone);
        Optional<Schedule> before = schedules.findSchedule(workspaceId, workflowId);
        boolean paused = before.map(Schedule::paused).orElse(false);
        Instant now = clock.instant();
        Schedule schedule = new Schedule(workflowId, workspaceId, parsed.expression(), parsed.zone().getId(), policy,
                paused, parsed.nextAfter(now).orElse(null), null);
        Schedule saved = schedules.saveSchedule(schedule, now);
        schedules.recordScheduleError(workflowId, null, null); // a new schedule starts without the old one's error
        activity.fire(WorkflowActivity.schedule("schedule.set", userId, before.orElse(null), saved));
        return view(schedules.findSchedule(workspaceId, workflowId).orElse(saved));
    }

    public void delete(UUID workspaceId, UUID workflowId, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.MEMBER);
        workflow(workspaceId, workflowId);
        if (!schedules.deleteSchedule(workspaceId, workflowId)) {
            throw new ResourceNotFoundException("This workflow has no schedule.");
        }
        activity.fire(WorkflowActivity.scheduleDeleted(userId, workspaceId, workflowId));
    }

    public ScheduleView pause(UUID workspaceId, UUID workflowId, UUID userId) {
        return setPaused(workspaceId, workflowId, userId, true);
    }

    /** Resuming starts from now: firings missed while paused are not made up. */
    public ScheduleView resume(UUID workspaceId, UUID workflowId, UUID userId) {
        return setPaused(workspaceId, workflowId, userId, false);
    }

    private ScheduleView setPaused(UUID workspaceId, UUID workflowId, UUID userId, boolean paused) {
        access.require(workspaceId, userId, WorkspaceRole.MEMBER);
        if (!paused) {
            verifiedEmail.require(userId, VerifiedEmail.TO_START_RUNS);
        }
        workflow(workspaceId, workflowId);
        Schedule current = find(workspaceId, workflowId);
        Instant next = CronSchedule.parse(current.cron(), current.timezone()).nextAfter(clock.instant()).orElse(null);
        Schedule changed = new Schedule(current.workflowId(), current.workspaceId(), current.cron(), current.timezone(),
                current.missedFiringPolicy(), paused, next, current.lastFiredAt());
        Schedule saved = schedules.saveSchedule(changed, clock.instant());
        if (current.paused() != paused) {
            activity.fire(WorkflowActivity.schedule(paused ? "schedule.paused" : "schedule.resumed", userId, current, saved));
        }
        return view(saved);
    }

    private ScheduleView view(Schedule schedule) {
        List<Instant> next = schedule.paused() ? List.of()
                : CronSchedule.parse(schedule.cron(), schedule.timezone()).next(clock.instant(), SHOWN_FIRINGS);
        return new ScheduleView(schedule, next);
    }

    private Schedule find(UUID workspaceId, UUID workflowId) {
        return schedules.findSchedule(workspaceId, workflowId)
                .orElseThrow(() -> new ResourceNotFoundException("This workflow has no schedule."));
    }

    private Workflow workflow(UUID workspaceId, UUID workflowId) {
        return workflows.find(workspaceId, workflowId).orElseThrow(WorkflowNotFoundException::new);
    }
}
