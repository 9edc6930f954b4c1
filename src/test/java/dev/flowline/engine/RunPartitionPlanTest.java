package dev.flowline.engine;

import dev.flowline.runs.RunPartition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunPartitionPlanTest {

    private static final Instant NOW = Instant.parse("2026-12-31T23:30:00Z");

    @Test
    void makesThePeriodOfNowAndTheOnesAhead() {
        assertThat(RunPartitionPlan.toMake(RunPartition.Interval.DAY, 2, NOW))
                .extracting(RunPartition::suffix).containsExactly("p2026_12_31", "p2027_01_01", "p2027_01_02");
        assertThat(RunPartitionPlan.toMake(RunPartition.Interval.MONTH, 1, NOW))
                .containsExactly(new RunPartition("p2026_12", Instant.parse("2026-12-01T00:00:00Z"),
                                Instant.parse("2027-01-01T00:00:00Z")),
                        new RunPartition("p2027_01", Instant.parse("2027-01-01T00:00:00Z"),
                                Instant.parse("2027-02-01T00:00:00Z")));
    }

    @Test
    void dropsOnlyPeriodsEntirelyOlderThanTheLongestRetention() {
        List<RunPartition> existing = List.of(RunPartition.ofSuffix("p2026_09_30").orElseThrow(),
                RunPartition.ofSuffix("p2026_10_01").orElseThrow(), RunPartition.ofSuffix("p2026_10_02").orElseThrow());
        // 90 days before NOW is 2026-10-02T23:30: the period of 10-02 still holds runs some plan keeps
        assertThat(RunPartitionPlan.toDrop(existing, 90, NOW))
                .extracting(RunPartition::suffix).containsExactly("p2026_09_30", "p2026_10_01");
    }

    @Test
    void readsPeriodsBackFromTheirSuffixOnly() {
        assertThat(RunPartition.ofSuffix("p2026_02")).contains(new RunPartition("p2026_02",
                Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z")));
        assertThat(RunPartition.ofSuffix("legacy")).isEmpty();
        assertThat(RunPartition.ofSuffix("default")).isEmpty();
    }
}
