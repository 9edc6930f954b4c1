package dev.flowline.runs.jpa;

import dev.flowline.runs.RunIds;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final UUID READ = RunIds.floor(Instant.parse("2026-12-01T00:00:00Z"));

    private final AtomicLong tick = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();
    private final RunQueueFloor cache = new RunQueueFloor(tick::get);

    private UUID counted() {
        reads.incrementAndGet();
        return READ;
    }

    @Test
    void theFloorIsReadOnceAndAgainOnlyAfterItsAge() {
        assertThat(cache.floor(this::counted, NOW, Duration.ofSeconds(10))).isEqualTo(READ);
        tick.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(cache.floor(this::counted, NOW, Duration.ofSeconds(10))).isEqualTo(READ);
        assertThat(reads).hasValue(1);

        tick.addAndGet(1);
        cache.floor(this::counted, NOW, Duration.ofSeconds(10));
        assertThat(reads).hasValue(2);
    }

    @Test
    void theAcceptTakesAFloorUpToItsLongerAgeSoThatOnlyTheEngineReadsItInSteadyState() {
        cache.floor(this::counted, NOW, RunQueueFloor.TTL);
        tick.addAndGet(Duration.ofMinutes(1).toNanos());

        assertThat(cache.floor(this::counted, NOW, RunQueueFloor.STALE)).isEqualTo(READ);
        assertThat(reads).hasValue(1);
        cache.floor(this::counted, NOW, RunQueueFloor.TTL);
        assertThat(reads).as("the engine's statement reads it").hasValue(2);
    }

    @Test
    void whileOneCallerReadsAnExpiredFloorTheOthersTakeTheLastOneInsteadOfReadingToo() {
        cache.floor(this::counted, NOW, RunQueueFloor.TTL);
        tick.addAndGet(Duration.ofMinutes(1).toNanos());
        UUID[] meanwhile = new UUID[1];

        cache.floor(() -> {
            meanwhile[0] = cache.floor(this::counted, NOW, RunQueueFloor.TTL);
            return counted();
        }, NOW, RunQueueFloor.TTL);

        assertThat(meanwhile[0]).isEqualTo(READ);
        assertThat(reads).as("the first read and the one that was due, not a third").hasValue(2);
    }

    @Test
    void aFloorIsNeverAboveTheMarginBeforeNowNorAboveAnOlderRunInsertedHere() {
        UUID recent = RunIds.floor(NOW.minusSeconds(60));
        assertThat(cache.floor(() -> recent, NOW, RunQueueFloor.TTL))
                .isEqualTo(RunIds.floor(NOW.minus(RunQueueFloor.MARGIN)));

        UUID older = RunIds.next(Instant.parse("2026-11-20T08:00:00Z"));
        cache.lowerTo(older);

        assertThat(cache.floor(this::counted, NOW, RunQueueFloor.TTL)).isEqualTo(older);
        assertThat(reads).hasValue(0);
    }
}
