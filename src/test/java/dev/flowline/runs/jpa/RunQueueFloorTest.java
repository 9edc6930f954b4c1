package dev.flowline.runs.jpa;

import dev.flowline.runs.RunIds;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RunQueueFloorTest {

    @Test
    void theFloorIsWrittenInAsTheStartOfItsUtcDaySoThatTheStatementTextChangesAtMostOnceADay() {
        UUID morning = RunIds.next(Instant.parse("2026-12-07T08:15:30.123Z"));
        UUID evening = RunIds.floor(Instant.parse("2026-12-07T23:59:59.999Z"));

        String sql = "SELECT 1 FROM workflow_runs r WHERE r.id >= {floor} AND r.status = ?1 OR r.id >= {floor}";

        String expected = "SELECT 1 FROM workflow_runs r WHERE r.id >= '" + RunIds.floor(Instant.parse(
                "2026-12-07T00:00:00Z")) + "'::uuid AND r.status = ?1 OR r.id >= '"
                + RunIds.floor(Instant.parse("2026-12-07T00:00:00Z")) + "'::uuid";
        assertThat(RunQueueFloor.in(sql, morning)).isEqualTo(expected);
        assertThat(RunQueueFloor.in(sql, evening)).isEqualTo(expected);
    }

    @Test
    void theDayStartIsNeverAboveTheFloorAndIsTheNextDaysOwnAfterMidnight() {
        UUID floor = RunIds.next(Instant.parse("2026-12-08T00:00:00.001Z"));

        UUID day = RunQueueFloor.day(floor);

        assertThat(day).isLessThanOrEqualTo(floor).isEqualTo(RunIds.floor(Instant.parse("2026-12-08T00:00:00Z")));
        assertThat(RunIds.madeAt(day)).isEqualTo(Instant.parse("2026-12-08T00:00:00Z"));
    }

    @Test
    void anIdMadeBeforeTheTimeOrderedIdsIsWrittenInAsItIs() {
        UUID legacy = UUID.fromString("7f0c2a9e-3b1d-4c55-9a8e-2f6d1b0c9e71");

        assertThat(RunQueueFloor.day(legacy)).isEqualTo(legacy);
    }
}
