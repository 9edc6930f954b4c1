package dev.flowline.engine;

import dev.flowline.runs.RunPartition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Which periods of the run history to make and which to drop; pure, so that the rules have unit tests. */
final class RunPartitionPlan {

    private RunPartitionPlan() {
    }

    /** The period of {@code now} and the {@code ahead} after it. */
    static List<RunPartition> toMake(RunPartition.Interval interval, int ahead, Instant now) {
        List<RunPartition> periods = new ArrayList<>();
        RunPartition period = interval.of(now);
        for (int i = 0; i <= ahead; i++) {
            periods.add(period);
            period = interval.of(period.to());
        }
        return periods;
    }

    /**
     * The periods entirely older than {@code longestRetentionDays} (the longest run retention of any plan): every
     * workspace's retention allows dropping all their runs. Younger periods are left to the batches, which delete
     * each run by its own workspace's retention.
     */
    static List<RunPartition> toDrop(List<RunPartition> existing, int longestRetentionDays, Instant now) {
        Instant cutoff = now.minus(java.time.Duration.ofDays(longestRetentionDays));
        return existing.stream().filter(p -> !p.to().isAfter(cutoff)).toList();
    }
}
