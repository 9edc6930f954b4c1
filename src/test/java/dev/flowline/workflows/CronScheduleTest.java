package dev.flowline.workflows;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CronScheduleTest {

    private static final Instant NEW_YEAR_2026 = Instant.parse("2026-01-01T00:00:00Z"); // a Thursday

    /** The next {@code count} firings after {@code after}, as local date-times with their offset. */
    private static List<String> firings(String cron, String zone, String after, int count) {
        CronSchedule schedule = CronSchedule.parse(cron, zone);
        return schedule.next(Instant.parse(after), count).stream()
                .map(instant -> instant.atZone(schedule.zone()).toOffsetDateTime().toString())
                .toList();
    }

    private static List<String> utcFirings(String cron, String after, int count) {
        return firings(cron, "UTC", after, count);
    }

    private static InvalidInputException refusal(String cron, String zone) {
        return catchThrowableOfType(InvalidInputException.class, () -> CronSchedule.parse(cron, zone));
    }

    // --- field forms -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            * * * * *            | 2026-01-01T00:01Z 2026-01-01T00:02Z 2026-01-01T00:03Z 2026-01-01T00:04Z
            */15 * * * *         | 2026-01-01T00:15Z 2026-01-01T00:30Z 2026-01-01T00:45Z 2026-01-01T01:00Z
            10-50/10 * * * *     | 2026-01-01T00:10Z 2026-01-01T00:20Z 2026-01-01T00:30Z 2026-01-01T00:40Z
            5/20 * * * *         | 2026-01-01T00:05Z 2026-01-01T00:25Z 2026-01-01T00:45Z 2026-01-01T01:05Z
            1,3,5 * * * *        | 2026-01-01T00:01Z 2026-01-01T00:03Z 2026-01-01T00:05Z 2026-01-01T01:01Z
            0,30-31 * * * *      | 2026-01-01T00:30Z 2026-01-01T00:31Z 2026-01-01T01:00Z 2026-01-01T01:30Z
            0 9-11 * * *         | 2026-01-01T09:00Z 2026-01-01T10:00Z 2026-01-01T11:00Z 2026-01-02T09:00Z
            0 */6 * * *          | 2026-01-01T06:00Z 2026-01-01T12:00Z 2026-01-01T18:00Z 2026-01-02T00:00Z
            0 0 1,15 * *         | 2026-01-15T00:00Z 2026-02-01T00:00Z 2026-02-15T00:00Z 2026-03-01T00:00Z
            0 0 1 */3 *          | 2026-04-01T00:00Z 2026-07-01T00:00Z 2026-10-01T00:00Z 2027-01-01T00:00Z
            0 0 1 jan,Jul *      | 2026-07-01T00:00Z 2027-01-01T00:00Z 2027-07-01T00:00Z 2028-01-01T00:00Z
            0 0 1 SEP-DEC/2 *    | 2026-09-01T00:00Z 2026-11-01T00:00Z 2027-09-01T00:00Z 2027-11-01T00:00Z
            30 8 * * MON-FRI     | 2026-01-01T08:30Z 2026-01-02T08:30Z 2026-01-05T08:30Z 2026-01-06T08:30Z
            0 12 * * */2         | 2026-01-01T12:00Z 2026-01-03T12:00Z 2026-01-04T12:00Z 2026-01-06T12:00Z
            0 0 * * Fri-sun      | 2026-01-02T00:00Z 2026-01-03T00:00Z 2026-01-04T00:00Z 2026-01-09T00:00Z
            0 0 * * 5-7          | 2026-01-02T00:00Z 2026-01-03T00:00Z 2026-01-04T00:00Z 2026-01-09T00:00Z
            0 0 * * 7            | 2026-01-04T00:00Z 2026-01-11T00:00Z 2026-01-18T00:00Z 2026-01-25T00:00Z
            0 0 * * 0            | 2026-01-04T00:00Z 2026-01-11T00:00Z 2026-01-18T00:00Z 2026-01-25T00:00Z
            0 0 * * sun          | 2026-01-04T00:00Z 2026-01-11T00:00Z 2026-01-18T00:00Z 2026-01-25T00:00Z
            """)
    void everyFieldForm(String cron, String expected) {
        assertThat(utcFirings(cron, "2026-01-01T00:00:00Z", 4)).containsExactly(expected.split(" "));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0 0 * * 7             | 0 0 * * 0
            0 0 * * 0-7           | 0 0 * * *
            0 0 * * MON-SUN       | 0 0 * * *
            0 0 * * mon-fri       | 0 0 * * 1-5
            0 0 * JAN-MAR TUE,THU | 0 0 * 1-3 2,4
            */15 * * * *          | 0,15,30,45 * * * *
            5/20 * * * *          | 5-59/20 * * * *
            0 0 1-31 * *          | 0 0 * * *
            """)
    void equivalentSpellings(String cron, String same) {
        assertThat(CronSchedule.parse(cron, "UTC").next(NEW_YEAR_2026, 60))
                .isEqualTo(CronSchedule.parse(same, "UTC").next(NEW_YEAR_2026, 60));
    }

    @Test
    void keepsTheExpressionWithWhiteSpaceNormalizedAndTheZone() {
        CronSchedule schedule = CronSchedule.parse("  0\t12  * *   MON ", "Europe/Berlin");
        assertThat(schedule.expression()).isEqualTo("0 12 * * MON");
        assertThat(schedule.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    // --- day-of-month and day-of-week ----------------------------------------------------------------------------

    @Test
    void bothDayFieldsRestrictedMatchEitherAsInVixieCron() {
        // Every 13th and every Friday; 13 February 2026 is both and fires once.
        assertThat(utcFirings("0 0 13 * FRI", "2026-01-01T00:00:00Z", 8)).containsExactly(
                "2026-01-02T00:00Z", "2026-01-09T00:00Z", "2026-01-13T00:00Z", "2026-01-16T00:00Z",
                "2026-01-23T00:00Z", "2026-01-30T00:00Z", "2026-02-06T00:00Z", "2026-02-13T00:00Z");
    }

    @Test
    void onlyDayOfMonthRestrictedIgnoresWeekdays() {
        assertThat(utcFirings("0 0 13 * *", "2026-01-01T00:00:00Z", 2))
                .containsExactly("2026-01-13T00:00Z", "2026-02-13T00:00Z");
    }

    @Test
    void onlyDayOfWeekRestrictedIgnoresDaysOfMonth() {
        assertThat(utcFirings("0 0 * * FRI", "2026-01-01T00:00:00Z", 2))
                .containsExactly("2026-01-02T00:00Z", "2026-01-09T00:00Z");
    }

    @Test
    void aSteppedDayOfMonthCountsAsRestricted() {
        // Only a field that is exactly '*' is unrestricted (Vixie cron would also treat '*/10' so).
        assertThat(utcFirings("0 0 */10 * MON", "2026-01-01T00:00:00Z", 5)).containsExactly(
                "2026-01-05T00:00Z", "2026-01-11T00:00Z", "2026-01-12T00:00Z", "2026-01-19T00:00Z", "2026-01-21T00:00Z");
    }

    @Test
    void restrictedDaysOfWeekRescueImpossibleDaysOfMonth() {
        // 30 February never happens, but with a weekday restricted too it fires every Monday of February.
        assertThat(utcFirings("0 0 30 2 MON", "2026-01-01T00:00:00Z", 2))
                .containsExactly("2026-02-02T00:00Z", "2026-02-09T00:00Z");
    }

    // --- month and year ends, leap days ----------------------------------------------------------------------------

    @Test
    void the31stSkipsShortMonths() {
        assertThat(utcFirings("0 0 31 * *", "2026-01-01T00:00:00Z", 5)).containsExactly(
                "2026-01-31T00:00Z", "2026-03-31T00:00Z", "2026-05-31T00:00Z", "2026-07-31T00:00Z", "2026-08-31T00:00Z");
    }

    @Test
    void crossesTheYearEnd() {
        assertThat(utcFirings("59 23 31 12 *", "2026-06-01T00:00:00Z", 2))
                .containsExactly("2026-12-31T23:59Z", "2027-12-31T23:59Z");
        assertThat(utcFirings("*/20 * * * *", "2026-12-31T23:30:00Z", 3))
                .containsExactly("2026-12-31T23:40Z", "2027-01-01T00:00Z", "2027-01-01T00:20Z");
    }

    @Test
    void leapDayFiresOnlyInLeapYears() {
        assertThat(utcFirings("0 12 29 2 *", "2026-01-01T00:00:00Z", 3))
                .containsExactly("2028-02-29T12:00Z", "2032-02-29T12:00Z", "2036-02-29T12:00Z");
    }

    @Test
    void leapDayWaitsEightYearsAcross2100() {
        // 2100 is not a leap year; the longest gap any valid expression can have.
        assertThat(utcFirings("0 12 29 2 *", "2096-03-01T00:00:00Z", 1)).containsExactly("2104-02-29T12:00Z");
    }

    // --- next firings ----------------------------------------------------------------------------------------------

    @Test
    void nextAfterIsStrictlyAfter() {
        CronSchedule hourly = CronSchedule.parse("0 * * * *", "UTC");
        Instant ten = Instant.parse("2026-01-01T10:00:00Z");
        assertThat(hourly.nextAfter(ten)).contains(Instant.parse("2026-01-01T11:00:00Z"));
        assertThat(hourly.nextAfter(ten.minusNanos(1))).contains(ten);
        assertThat(hourly.nextAfter(ten.plusSeconds(59))).contains(Instant.parse("2026-01-01T11:00:00Z"));
    }

    @Test
    void nextFiveWeekdayMorningsInBerlin() {
        // From a Friday afternoon; 09:00 in Berlin is 08:00 UTC in winter.
        CronSchedule schedule = CronSchedule.parse("0 9 * * MON-FRI", "Europe/Berlin");
        assertThat(schedule.next(Instant.parse("2026-01-02T12:00:00Z"), 5)).containsExactly(
                Instant.parse("2026-01-05T08:00:00Z"), Instant.parse("2026-01-06T08:00:00Z"),
                Instant.parse("2026-01-07T08:00:00Z"), Instant.parse("2026-01-08T08:00:00Z"),
                Instant.parse("2026-01-09T08:00:00Z"));
        assertThat(schedule.next(NEW_YEAR_2026, 0)).isEmpty();
    }

    @Test
    void summerTimeShiftsTheInstant() {
        assertThat(firings("0 9 1 1,7 *", "Europe/Berlin", "2026-01-01T12:00:00Z", 2))
                .containsExactly("2026-07-01T09:00+02:00", "2027-01-01T09:00+01:00");
        assertThat(CronSchedule.parse("0 9 1 7 *", "Europe/Berlin").nextAfter(NEW_YEAR_2026))
                .contains(Instant.parse("2026-07-01T07:00:00Z"));
    }

    // --- daylight saving: spring forward (a local hour does not exist) ---------------------------------------------

    @Test
    void berlinSpringForwardMovesAMissingTimeToTheEndOfTheGap() {
        // 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC; 02:30 fires at 03:00, not skipped.
        assertThat(firings("30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", 3))
                .containsExactly("2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00", "2026-03-31T02:30+02:00");
        assertThat(CronSchedule.parse("30 2 * * *", "Europe/Berlin").nextAfter(Instant.parse("2026-03-28T12:00:00Z")))
                .contains(Instant.parse("2026-03-29T01:00:00Z"));
    }

    @Test
    void berlinSpringForwardFiresOnceWhenGapTimesAndTheGapEndAllMatch() {
        // 02:00, 02:30 and 03:00 all land on 03:00 CEST: one firing.
        assertThat(firings("0,30 2,3 * * *", "Europe/Berlin", "2026-03-29T00:00:00Z", 3))
                .containsExactly("2026-03-29T03:00+02:00", "2026-03-29T03:30+02:00", "2026-03-30T02:00+02:00");
    }

    @Test
    void berlinSpringForwardFrequentSchedule() {
        assertThat(firings("*/15 * * * *", "Europe/Berlin", "2026-03-29T00:30:00Z", 3))
                .containsExactly("2026-03-29T01:45+01:00", "2026-03-29T03:00+02:00", "2026-03-29T03:15+02:00");
    }

    @Test
    void newYorkSpringForwardMovesAMissingTimeToTheEndOfTheGap() {
        // 8 March 2026: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
        assertThat(firings("30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", 2))
                .containsExactly("2026-03-08T03:00-04:00", "2026-03-09T02:30-04:00");
        assertThat(firings("0 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", 1))
                .containsExactly("2026-03-08T03:00-04:00");
        assertThat(firings("*/20 * * * *", "America/New_York", "2026-03-08T06:30:00Z", 3))
                .containsExactly("2026-03-08T01:40-05:00", "2026-03-08T03:00-04:00", "2026-03-08T03:20-04:00");
    }

    // --- daylight saving: fall back (a local hour happens twice) ---------------------------------------------------

    @Test
    void berlinFallBackFiresARepeatedTimeOnceAtItsFirstOccurrence() {
        // 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 happens twice.
        assertThat(firings("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", 2))
                .containsExactly("2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00");
    }

    @Test
    void berlinFallBackDoesNotRepeatFrequentSchedules() {
        assertThat(firings("*/30 * * * *", "Europe/Berlin", "2026-10-24T23:00:00Z", 5)).containsExactly(
                "2026-10-25T01:30+02:00", "2026-10-25T02:00+02:00", "2026-10-25T02:30+02:00",
                "2026-10-25T03:00+01:00", "2026-10-25T03:30+01:00");
        assertThat(firings("0 * * * *", "Europe/Berlin", "2026-10-24T23:30:00Z", 2))
                .containsExactly("2026-10-25T02:00+02:00", "2026-10-25T03:00+01:00");
    }

    @Test
    void berlinFallBackFromInsideTheRepeatedHour() {
        CronSchedule schedule = CronSchedule.parse("*/30 * * * *", "Europe/Berlin");
        // 02:10 CEST, the first pass: 02:30 CEST is still to come.
        assertThat(schedule.nextAfter(Instant.parse("2026-10-25T00:10:00Z")))
                .contains(Instant.parse("2026-10-25T00:30:00Z"));
        // 02:10 CET, the second pass: 02:30 has fired already, so 03:00 CET is next.
        assertThat(schedule.nextAfter(Instant.parse("2026-10-25T01:10:00Z")))
                .contains(Instant.parse("2026-10-25T02:00:00Z"));
    }

    @Test
    void newYorkFallBackFiresARepeatedTimeOnceAtItsFirstOccurrence() {
        // 1 November 2026: 02:00 EDT becomes 01:00 EST at 06:00 UTC; 01:30 happens twice.
        assertThat(firings("30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", 2))
                .containsExactly("2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00");
        assertThat(firings("0 * * * *", "America/New_York", "2026-11-01T03:30:00Z", 4)).containsExactly(
                "2026-11-01T00:00-04:00", "2026-11-01T01:00-04:00", "2026-11-01T02:00-05:00", "2026-11-01T03:00-05:00");
        CronSchedule everyTwenty = CronSchedule.parse("*/20 * * * *", "America/New_York");
        assertThat(everyTwenty.nextAfter(Instant.parse("2026-11-01T05:50:00Z"))) // 01:50 EDT
                .contains(Instant.parse("2026-11-01T07:00:00Z"));                 // 02:00 EST
        assertThat(everyTwenty.nextAfter(Instant.parse("2026-11-01T06:10:00Z"))) // 01:10 EST, second pass
                .contains(Instant.parse("2026-11-01T07:00:00Z"));
    }

    // --- refusals ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            61 * * * *     | minute 61 is out of range 0-59
            0 24 * * *     | hour 24 is out of range 0-23
            0 0 0 * *      | day of month 0 is out of range 1-31
            0 0 32 * *     | day of month 32 is out of range 1-31
            0 0 1 13 *     | month 13 is out of range 1-12 or JAN-DEC
            0 0 * * 8      | day of week 8 is out of range 0-7 or SUN-SAT
            99999999999 * * * * | minute 99999999999 is out of range 0-59
            0 0 * FOO *    | month 'FOO' is not valid: expected 1-12 or JAN-DEC
            0 0 * * FUNDAY | day of week 'FUNDAY' is not valid: expected 0-7 or SUN-SAT
            JAN * * * *    | minute 'JAN' is not valid: expected 0-59
            -1 * * * *     | minute '-1' is not valid: expected 0-59
            1- * * * *     | minute '1-' is not valid: expected 0-59
            */0 * * * *    | minute step 0 is out of range 1-59
            */60 * * * *   | minute step 60 is out of range 1-59
            0 0 * * */7    | day of week step 7 is out of range 1-6
            */x * * * *    | minute '*/x' has no valid step: expected a number 1-59
            50-10 * * * *  | minute range 50-10 goes backwards; write the smaller value first
            0 0 * DEC-JAN * | month range DEC-JAN goes backwards; write the smaller value first
            1,,2 * * * *   | minute '1,,2' has an empty list element
            * * * *        | expected 5 fields (minute hour day-of-month month day-of-week) but found 4
            * * * * * *    | expected 5 fields (minute hour day-of-month month day-of-week) but found 6
            @daily         | nicknames such as @daily are not supported; write the 5 fields instead
            0 0 ? * *      | day of month '?' is not valid: expected 1-31
            0 0 L * *      | day of month 'L' is not valid: expected 1-31
            0 0 15W * *    | day of month '15W' is not valid: expected 1-31
            0 0 * * 1#2    | day of week '1#2' is not valid: expected 0-7 or SUN-SAT
            0 0 30 2 *     | it never fires: February has no day 30
            0 0 30,31 2 *  | it never fires: February has no days 30 or later
            0 0 31 2,4,6 * | it never fires: February, April, June have no day 31
            """)
    void refusesInvalidExpressionsSayingWhy(String cron, String problem) {
        InvalidInputException e = refusal(cron, "UTC");
        assertThat(e.errors()).containsExactly(new FieldError("cron", problem));
        assertThat(e.detail()).isEqualTo("Invalid cron expression: " + problem + ".");
        assertThat(e.status()).isEqualTo(400);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = "   ")
    void refusesAMissingExpression(String cron) {
        assertThat(refusal(cron, "UTC").errors()).containsExactly(new FieldError("cron",
                "expected 5 fields (minute hour day-of-month month day-of-week) but found none"));
    }

    @Test
    void acceptsThirtyFirstWhenOneChosenMonthHasIt() {
        assertThat(utcFirings("0 0 31 4-6 *", "2026-01-01T00:00:00Z", 1)).containsExactly("2026-05-31T00:00Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Etc/UTC"})
    void acceptsIanaZones(String zone) {
        assertThat(CronSchedule.parse("0 0 * * *", zone).zone()).isEqualTo(ZoneId.of(zone));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+02:00", "-05:00", "UTC+2", "GMT-05:00", "UT+01:00", "Z"})
    void refusesFixedOffsets(String zone) {
        InvalidInputException e = refusal("0 0 * * *", zone);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("timezone");
        assertThat(e.errors().get(0).message()).contains("'" + zone + "' is a fixed offset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mars/Olympus_Mons", "Berlin", "not a zone"})
    void refusesUnknownZones(String zone) {
        assertThat(refusal("0 0 * * *", zone).errors()).containsExactly(new FieldError("timezone",
                "'" + zone + "' is not a known IANA time zone id (such as Europe/Berlin or UTC)"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void refusesAMissingZone(String zone) {
        assertThat(refusal("0 0 * * *", zone).errors()).containsExactly(new FieldError("timezone",
                "it is missing; expected an IANA time zone id such as Europe/Berlin or UTC"));
    }

    @Test
    void reportsABadExpressionAndABadZoneTogether() {
        InvalidInputException e = refusal("61 * * * *", "Mars/Olympus_Mons");
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("cron", "timezone");
        assertThat(e.detail()).isEqualTo("Invalid cron expression: minute 61 is out of range 0-59."
                + " Invalid time zone: 'Mars/Olympus_Mons' is not a known IANA time zone id (such as Europe/Berlin or UTC).");
    }

    @Test
    void valueObjectEquality() {
        assertThat(CronSchedule.parse("0 0 * * *", "UTC")).isEqualTo(CronSchedule.parse(" 0 0 * * * ", "UTC"))
                .isNotEqualTo(CronSchedule.parse("0 0 * * *", "Europe/Berlin"));
        assertThat(CronSchedule.parse("0 0 * * *", "UTC")).hasToString("0 0 * * * (UTC)");
    }
}
