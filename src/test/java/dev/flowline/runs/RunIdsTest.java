package dev.flowline.runs;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RunIdsTest {

    @Test
    void anIdTellsItsMillisecondAndSortsAfterItsFloor() {
        Instant at = Instant.parse("2026-12-07T10:00:00.123456Z");
        UUID id = RunIds.next(at);
        assertThat(RunIds.madeAt(id)).isEqualTo(Instant.parse("2026-12-07T10:00:00.123Z"));
        // PostgreSQL orders uuids byte by byte, as their text does
        assertThat(id.toString()).startsWith("00000000-").isGreaterThanOrEqualTo(RunIds.floor(at).toString())
                .isLessThan(RunIds.floor(at.plusMillis(1)).toString());
    }

    @Test
    void theFloorIsWhatTheMigrationsFunctionComputes() {
        // SELECT run_id_floor('2026-12-07 10:00+00') on PostgreSQL
        assertThat(RunIds.floor(Instant.parse("2026-12-07T10:00:00Z")))
                .hasToString("00000000-01a2-4ff2-2900-000000000000");
    }

    @Test
    void aRandomIdOfBeforeTheMigrationTellsNoTime() {
        assertThat(RunIds.madeAt(UUID.fromString("5f0c8a7e-1b2d-4c3e-9f40-123456789abc"))).isNull();
    }
}
