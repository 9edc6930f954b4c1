package dev.flowline.triggers;

import dev.flowline.triggers.MissedFirings.Firings;
import dev.flowline.workflows.CronSchedule;
import dev.flowline.workflows.MissedFiringPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static dev.flowline.workflows.MissedFiringPolicy.RUN_ALL;
import static dev.flowline.workflows.MissedFiringPolicy.RUN_ONCE;
import static dev.flowline.workflows.MissedFiringPolicy.SKIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MissedFiringsTest {

    private static final CronSchedule HOURLY = CronSchedule.parse("0 * * * *", "UTC");
    private static final Instant TEN = at("2026-01-01T10:00:00Z");

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    private static List<Instant> instants(String... instants) {
        return Stream.of(instants).map(Instant::parse).toList();
    }

    // --- nothing due, on time --------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(MissedFiringPolicy.class)
    void nothingIsDueBeforeNextRunAt(MissedFiringPolicy policy) {
        Firings firings = MissedFirings.due(HOURLY, TEN, TEN.minusMillis(1), policy, 10);
        assertThat(firings.scheduledTimes()).isEmpty();
        assertThat(firings.nextRunAt()).isEqualTo(TEN);
    }

    @ParameterizedTest
    @EnumSource(MissedFiringPolicy.class)
    void anOnTimeFiringFiresUnderEveryPolicy(MissedFiringPolicy policy) {
        assertThat(MissedFirings.due(HOURLY, TEN, TEN.plusSeconds(5), policy, 10))
                .isEqualTo(new Firings(List.of(TEN), at("2026-01-01T11:00:00Z")));
        assertThat(MissedFirings.due(HOURLY, TEN, TEN, policy, 10))
                .isEqualTo(new Firings(List.of(TEN), at("2026-01-01T11:00:00Z")));
    }

    // --- missed firings, per policy --------------------------------------------------------------------------------

    @Test
    void runAllFiresEveryMissedTimeOldestFirst() {
        assertThat(MissedFirings.due(HOURLY, TEN, at("2026-01-01T12:30:00Z"), RUN_ALL, 10)).isEqualTo(new Firings(
                instants("2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z", "2026-01-01T12:00:00Z"),
                at("2026-01-01T13:00:00Z")));
    }

    @Test
    void runAllKeepsTheMostRecentMaxCatchUpTimes() {
        // 25 hourly firings were missed (10:00 on the 1st to 10:00 on the 2nd); the oldest 20 are dropped.
        assertThat(MissedFirings.due(HOURLY, TEN, at("2026-01-02T10:30:00Z"), RUN_ALL, 5)).isEqualTo(new Firings(
                instants("2026-01-02T06:00:00Z", "2026-01-02T07:00:00Z", "2026-01-02T08:00:00Z",
                        "2026-01-02T09:00:00Z", "2026-01-02T10:00:00Z"),
                at("2026-01-02T11:00:00Z")));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void runAllWithJustEnoughCatchUpFiresEverything(int maxCatchUp) {
        assertThat(MissedFirings.due(HOURLY, TEN, at("2026-01-01T12:00:00Z"), RUN_ALL, maxCatchUp).scheduledTimes())
                .containsExactlyElementsOf(instants("2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z", "2026-01-01T12:00:00Z"));
    }

    @Test
    void runAllWithACatchUpOfOneBehavesLikeRunOnce() {
        Instant now = at("2026-01-01T12:30:00Z");
        assertThat(MissedFirings.due(HOURLY, TEN, now, RUN_ALL, 1)).isEqualTo(MissedFirings.due(HOURLY, TEN, now, RUN_ONCE, 1));
    }

    @Test
    void runOnceFiresOnlyTheLatestMissedTime() {
        assertThat(MissedFirings.due(HOURLY, TEN, at("2026-01-01T12:30:00Z"), RUN_ONCE, 10))
                .isEqualTo(new Firings(instants("2026-01-01T12:00:00Z"), at("2026-01-01T13:00:00Z")));
    }

    @Test
    void skipFiresNothingLateAndMovesOn() {
        assertThat(MissedFirings.due(HOURLY, TEN, at("2026-01-01T12:30:00Z"), SKIP, 10))
                .isEqualTo(new Firings(List.of(), at("2026-01-01T13:00:00Z")));
    }

    @Test
    void skipFiresTheLatestTimeWhenItIsStillOnTime() {
        // 10:00 and 11:00 were missed, 12:00 is 30 s old: only 12:00 runs.
        assertThat(MissedFirings.due(HOURLY, TEN, at("2026-01-01T12:00:30Z"), SKIP, 10))
                .isEqualTo(new Firings(instants("2026-01-01T12:00:00Z"), at("2026-01-01T13:00:00Z")));
    }

    @Test
    void skipGraceIsSixtySecondsInclusive() {
        assertThat(MissedFirings.SKIP_GRACE).isEqualTo(Duration.ofSeconds(60));
        assertThat(MissedFirings.due(HOURLY, TEN, TEN.plusSeconds(60), SKIP, 10).scheduledTimes()).containsExactly(TEN);
        assertThat(MissedFirings.due(HOURLY, TEN, TEN.plusSeconds(61), SKIP, 10).scheduledTimes()).isEmpty();
    }

    @Test
    void skipDropsASingleDueTimeThatIsLate() {
        // A daily job whose only due time is three hours old: a missed firing, not an on-time one.
        CronSchedule daily = CronSchedule.parse("0 6 * * *", "UTC");
        Instant six = at("2026-01-01T06:00:00Z");
        assertThat(MissedFirings.due(daily, six, at("2026-01-01T09:00:00Z"), SKIP, 10))
                .isEqualTo(new Firings(List.of(), at("2026-01-02T06:00:00Z")));
        assertThat(MissedFirings.due(daily, six, at("2026-01-01T09:00:00Z"), RUN_ONCE, 10).scheduledTimes())
                .containsExactly(six);
    }

    // --- long outages, daylight saving, arguments -------------------------------------------------------------------

    @Test
    void aLongOutageOfAMinutelyScheduleDoesNotWalkEveryMissedMinute() {
        // Twenty years of minutes (10.5 million) take seconds to walk; the search back from now takes milliseconds.
        CronSchedule everyMinute = CronSchedule.parse("* * * * *", "Europe/Berlin");
        Instant now = at("2026-01-01T00:00:30Z");
        MissedFirings.due(everyMinute, now.minusSeconds(600), now, RUN_ALL, 3); // load the classes before timing
        assertThat(CompletableFuture.supplyAsync(
                () -> MissedFirings.due(everyMinute, at("2006-01-01T00:00:00Z"), now, RUN_ALL, 3)))
                .succeedsWithin(Duration.ofSeconds(1))
                .isEqualTo(new Firings(
                        instants("2025-12-31T23:58:00Z", "2025-12-31T23:59:00Z", "2026-01-01T00:00:00Z"),
                        at("2026-01-01T00:01:00Z")));
    }

    @Test
    void runOnceAfterYearsFindsTheLatestYearlyFiring() {
        CronSchedule newYear = CronSchedule.parse("0 0 1 1 *", "Europe/Berlin");
        assertThat(MissedFirings.due(newYear, at("2019-12-31T23:00:00Z"), at("2026-06-01T00:00:00Z"), RUN_ONCE, 10))
                .isEqualTo(new Firings(instants("2025-12-31T23:00:00Z"), at("2026-12-31T23:00:00Z")));
    }

    @Test
    void catchUpThroughTheRepeatedHourFiresEachWallClockTimeOnce() {
        // Berlin, 25 October 2026: 02:00 and 02:30 CEST fire, their CET repeats do not, then 03:00 CET.
        CronSchedule halfHourly = CronSchedule.parse("*/30 * * * *", "Europe/Berlin");
        assertThat(MissedFirings.due(halfHourly, at("2026-10-25T00:00:00Z"), at("2026-10-25T02:10:00Z"), RUN_ALL, 10))
                .isEqualTo(new Firings(instants("2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T02:00:00Z"),
                        at("2026-10-25T02:30:00Z")));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void refusesACatchUpBelowOne(int maxCatchUp) {
        assertThatIllegalArgumentException().isThrownBy(() -> MissedFirings.due(HOURLY, TEN, TEN, RUN_ALL, maxCatchUp));
    }

    @Test
    void firingsAreImmutable() {
        Firings firings = MissedFirings.due(HOURLY, TEN, TEN, RUN_ALL, 10);
        assertThat(firings.scheduledTimes()).isUnmodifiable();
    }
}
