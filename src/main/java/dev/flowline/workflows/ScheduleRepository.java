package dev.flowline.workflows;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The schedule of a workflow whose trigger is {@code trigger.schedule} (one row per workflow), and the claim of due
 * schedules that every instance's poller makes. Implemented by {@code JpaScheduleRepository} and by test doubles.
 */
public interface ScheduleRepository {

    Optional<Schedule> findSchedule(UUID workspaceId, UUID workflowId);

    /** Creates or replaces the workflow's schedule. */
    Schedule saveSchedule(Schedule schedule, Instant now);

    boolean deleteSchedule(UUID workspaceId, UUID workflowId);

    /**
     * Due, unpaused schedules of enabled workflows (next_run_at at or before {@code now}), oldest first, except
     * those in {@code passedOver} (schedules whose firing failed in this poll), locked with
     * {@code FOR UPDATE SKIP LOCKED}: call inside a transaction and {@link #advanceSchedule} each before it
     * commits. Concurrent callers (instances) get disjoint sets.
     */
    List<Schedule> claimDueSchedules(Instant now, int limit, Collection<UUID> passedOver);

    void advanceSchedule(UUID workflowId, Instant nextRunAt, Instant firedAt);

    /** Records why a firing made no run; {@code null} clears a recorded error. */
    void recordScheduleError(UUID workflowId, String error, Instant at);
}
