package dev.flowline.runs;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One period of the run history: its partitions are {@code workflow_runs_<suffix>} and
 * {@code workflow_run_steps_<suffix>}, holding the runs made in [{@code from}, {@code to}) (UTC days or months).
 */
public record RunPartition(String suffix, Instant from, Instant to) {

    private static final Pattern SUFFIX = Pattern.compile("p(\\d{4})_(\\d{2})(?:_(\\d{2}))?");

    /** How long a period is: {@code flowline.runs.partition-interval}. */
    public enum Interval {
        DAY, MONTH;

        /** The period that holds {@code at}. */
        public RunPartition of(Instant at) {
            LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
            return this == DAY
                    ? period(day, day.plusDays(1), "'p'yyyy_MM_dd")
                    : period(day.withDayOfMonth(1), day.withDayOfMonth(1).plusMonths(1), "'p'yyyy_MM");
        }

        private static RunPartition period(LocalDate from, LocalDate to, String pattern) {
            return new RunPartition(DateTimeFormatter.ofPattern(pattern).format(from),
                    from.atStartOfDay(ZoneOffset.UTC).toInstant(), to.atStartOfDay(ZoneOffset.UTC).toInstant());
        }
    }

    /** The period a partition's suffix names ({@code p2026_12} or {@code p2026_12_07}); empty for other names. */
    public static Optional<RunPartition> ofSuffix(String suffix) {
        Matcher m = SUFFIX.matcher(suffix);
        if (!m.matches()) {
            return Optional.empty();
        }
        LocalDate from = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 1 : Integer.parseInt(m.group(3)));
        return Optional.of((m.group(3) == null ? Interval.MONTH : Interval.DAY)
                .of(from.atStartOfDay(ZoneOffset.UTC).toInstant()));
    }
}
