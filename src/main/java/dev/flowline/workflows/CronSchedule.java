package dev.flowline.workflows;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A standard 5-field cron expression ({@code minute hour day-of-month month day-of-week}) evaluated in an IANA
 * time zone.
 *
 * <p>Each field takes {@code *}, a number, a range {@code 1-5}, a list {@code 1,3,5}, and a step after {@code *}, a
 * range or a start ({@code *}{@code /15}, {@code 10-50/10}, {@code 5/15} meaning {@code 5-59/15}). Months and weekdays
 * may be named ({@code JAN}-{@code DEC}, {@code SUN}-{@code SAT}, any case); weekday 0 and 7 are both Sunday, so
 * {@code MON-SUN} is the whole week. As in Vixie cron, when day-of-month and day-of-week are both restricted
 * (neither is exactly {@code *}), a day matches if <em>either</em> matches: {@code 0 0 13 * FRI} fires on every 13th
 * and on every Friday. A stepped star such as {@code *}{@code /10} counts as restricted (Vixie cron's code, unlike its
 * manual, treats any field starting with {@code *} as unrestricted). Nicknames
 * ({@code @daily}) and Quartz extensions ({@code ?}, {@code L}, {@code W}, {@code #}) are refused, and so is an
 * expression that can never fire ({@code 0 0 30 2 *}).
 *
 * <p>Daylight-saving time: the expression matches wall-clock times in the zone, and each matching wall-clock time
 * fires exactly once.
 * <ul>
 *   <li>A time that does not exist (the spring-forward gap, e.g. 02:30 when clocks jump from 02:00 to 03:00) fires
 *       at the first instant after the gap (03:00 local): it is moved, never skipped. Several such times, and a
 *       firing at 03:00 itself, collapse into that one firing.</li>
 *   <li>A time that occurs twice (the fall-back overlap, e.g. 01:30 when clocks go back from 02:00 to 01:00) fires
 *       once, at its first occurrence (the earlier, summer-time offset). This holds for every schedule, so
 *       {@code *}{@code /15 * * * *} does not fire again during the repeated hour: it fires at 01:45 summer time
 *       and next at 02:00 winter time, 75 minutes later.</li>
 * </ul>
 * Instances are immutable and thread-safe.
 */
public final class CronSchedule {

    private static final Pattern FIXED_OFFSET = Pattern.compile("(?i)(UTC|GMT|UT)?[+-].*");
    // A valid expression fires at least every 8 years (29 February across a skipped leap year, 2096 to 2104).
    private static final int SEARCH_YEARS = 9;

    private final String expression;
    private final ZoneId zone;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek; // 0 = Sunday .. 6 = Saturday
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;

    private CronSchedule(String expression, ZoneId zone, BitSet[] fields, boolean dayOfMonthRestricted,
                         boolean dayOfWeekRestricted) {
        this.expression = expression;
        this.zone = zone;
        this.minutes = fields[0];
        this.hours = fields[1];
        this.daysOfMonth = fields[2];
        this.months = fields[3];
        this.daysOfWeek = fields[4];
        this.dayOfMonthRestricted = dayOfMonthRestricted;
        this.dayOfWeekRestricted = dayOfWeekRestricted;
    }

    /**
     * Parses a cron expression and an IANA time zone id ("Europe/Berlin", "UTC"; fixed offsets such as "+02:00" are
     * refused because they ignore daylight saving, which is rarely what the author of a schedule means).
     *
     * @throws InvalidInputException naming the field {@code cron}, {@code timezone} or both, with what is wrong
     */
    public static CronSchedule parse(String expression, String timeZone) {
        ZoneId zone = null;
        InvalidInputException zoneProblem = null;
        try {
            zone = parseZone(timeZone);
        } catch (InvalidInputException e) {
            zoneProblem = e;
        }
        CronSchedule schedule;
        try {
            schedule = parseExpression(expression, zone == null ? ZoneOffset.UTC : zone);
        } catch (InvalidInputException cronProblem) {
            if (zoneProblem == null) {
                throw cronProblem;
            }
            // Report both at once so that a client can fix them in one round trip.
            List<FieldError> both = new ArrayList<>(cronProblem.errors());
            both.addAll(zoneProblem.errors());
            throw new InvalidInputException(cronProblem.detail() + " " + zoneProblem.detail(),
                    both.toArray(FieldError[]::new));
        }
        if (zoneProblem != null) {
            throw zoneProblem;
        }
        return schedule;
    }

    private static CronSchedule parseExpression(String expression, ZoneId zone) {
        String normalized = expression == null ? "" : expression.trim().replaceAll("\\s+", " ");
        if (normalized.startsWith("@")) {
            throw invalidCron("nicknames such as " + normalized + " are not supported; write the 5 fields instead");
        }
        String[] parts = normalized.isEmpty() ? new String[0] : normalized.split(" ");
        if (parts.length != Field.values().length) {
            throw invalidCron("expected 5 fields (minute hour day-of-month month day-of-week) but found "
                    + (parts.length == 0 ? "none" : parts.length));
        }
        BitSet[] values = new BitSet[parts.length];
        for (Field field : Field.values()) {
            values[field.ordinal()] = field.parse(parts[field.ordinal()]);
        }
        // Sunday is both 0 and 7; keep it as 0 only.
        BitSet daysOfWeek = values[Field.DAY_OF_WEEK.ordinal()];
        if (daysOfWeek.get(7)) {
            daysOfWeek.clear(7);
            daysOfWeek.set(0);
        }
        CronSchedule schedule = new CronSchedule(normalized, zone, values,
                !parts[Field.DAY_OF_MONTH.ordinal()].equals("*"), !parts[Field.DAY_OF_WEEK.ordinal()].equals("*"));
        schedule.refuseIfNeverFires();
        return schedule;
    }

    /** The expression as given, with surrounding and repeated white space removed. */
    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first firing strictly after {@code after}; empty only if none falls within the next 9 years. */
    public Optional<Instant> nextAfter(Instant after) {
        Objects.requireNonNull(after, "after");
        ZoneRules rules = zone.getRules();
        // Wall-clock times map to instants in order (gap times all to the gap's end, repeated times to their first
        // occurrence), so the answer is the first matching wall-clock time past `after`'s whose instant is later.
        LocalDateTime candidate = LocalDateTime.ofInstant(after, zone);
        LocalDateTime limit = candidate.plusYears(SEARCH_YEARS);
        while (true) {
            Optional<LocalDateTime> next = nextMatchingWallClock(candidate, limit);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            Instant instant = toInstant(next.get(), rules);
            if (instant.isAfter(after)) {
                return Optional.of(instant);
            }
            candidate = next.get(); // inside a repeated hour whose first occurrence has passed
        }
    }

    /** The next {@code count} firings strictly after {@code after}, in order (fewer only if the search runs out). */
    public List<Instant> next(Instant after, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        List<Instant> firings = new ArrayList<>(count);
        Instant from = after;
        while (firings.size() < count) {
            Optional<Instant> next = nextAfter(from);
            if (next.isEmpty()) {
                break;
            }
            firings.add(next.get());
            from = next.get();
        }
        return firings;
    }

    /** True when the wall-clock date is a day the expression matches (Vixie rule for the two day fields). */
    private boolean matchesDay(LocalDate date) {
        boolean dayOfMonth = daysOfMonth.get(date.getDayOfMonth());
        boolean dayOfWeek = daysOfWeek.get(date.getDayOfWeek().getValue() % 7);
        if (dayOfMonthRestricted && dayOfWeekRestricted) {
            return dayOfMonth || dayOfWeek;
        }
        return dayOfMonth && dayOfWeek;
    }

    /** The first matching wall-clock minute strictly after {@code after}, skipping whole months, days and hours. */
    private Optional<LocalDateTime> nextMatchingWallClock(LocalDateTime after, LocalDateTime limit) {
        LocalDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
            } else if (!matchesDay(t.toLocalDate())) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
            } else if (!hours.get(t.getHour())) {
                int hour = hours.nextSetBit(t.getHour());
                t = hour < 0 ? t.toLocalDate().plusDays(1).atStartOfDay() : t.toLocalDate().atTime(hour, 0);
            } else if (!minutes.get(t.getMinute())) {
                int minute = minutes.nextSetBit(t.getMinute());
                t = minute < 0 ? t.truncatedTo(ChronoUnit.HOURS).plusHours(1) : t.withMinute(minute);
            } else {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Resolves a wall-clock time: a gap time to the end of the gap, a repeated time to its first occurrence. */
    private static Instant toInstant(LocalDateTime wallClock, ZoneRules rules) {
        ZoneOffsetTransition transition = rules.getTransition(wallClock);
        if (transition == null) {
            return wallClock.toInstant(rules.getOffset(wallClock));
        }
        return transition.isGap() ? transition.getInstant() : wallClock.toInstant(transition.getOffsetBefore());
    }

    /** Refuses day-of-month restrictions that no chosen month can satisfy, like 30 February. */
    private void refuseIfNeverFires() {
        if (!dayOfMonthRestricted || dayOfWeekRestricted) {
            return; // every month has every weekday, and '*' includes day 1
        }
        int firstDay = daysOfMonth.nextSetBit(1);
        List<Month> chosen = months.stream().mapToObj(Month::of).toList();
        if (chosen.stream().allMatch(month -> firstDay > month.maxLength())) {
            String monthNames = chosen.stream()
                    .map(month -> month.getDisplayName(TextStyle.FULL, Locale.ENGLISH))
                    .collect(Collectors.joining(", "));
            String days = daysOfMonth.cardinality() == 1 ? "day " + firstDay : "days " + firstDay + " or later";
            throw invalidCron("it never fires: " + monthNames + (chosen.size() == 1 ? " has" : " have") + " no " + days);
        }
    }

    private static ZoneId parseZone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            throw invalidZone("it is missing; expected an IANA time zone id such as Europe/Berlin or UTC");
        }
        String id = timeZone.trim();
        if (FIXED_OFFSET.matcher(id).matches()) {
            throw invalidZone("'" + id + "' is a fixed offset, which ignores daylight saving;"
                    + " use an IANA time zone id such as Europe/Berlin or UTC");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(id);
        } catch (DateTimeException e) {
            throw invalidZone("'" + id + "' is not a known IANA time zone id (such as Europe/Berlin or UTC)");
        }
        if (zone instanceof ZoneOffset) { // "Z"
            throw invalidZone("'" + id + "' is a fixed offset; use an IANA time zone id such as UTC");
        }
        return zone;
    }

    private static InvalidInputException invalidCron(String problem) {
        return new InvalidInputException("Invalid cron expression: " + problem + ".", new FieldError("cron", problem));
    }

    private static InvalidInputException invalidZone(String problem) {
        return new InvalidInputException("Invalid time zone: " + problem + ".", new FieldError("timezone", problem));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronSchedule that && expression.equals(that.expression) && zone.equals(that.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expression, zone);
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }

    /** One of the five fields: its range, its names and how to parse it into the set of values it matches. */
    private enum Field {
        MINUTE("minute", 0, 59),
        HOUR("hour", 0, 23),
        DAY_OF_MONTH("day of month", 1, 31),
        MONTH("month", 1, 12, "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        // 7 is Sunday too; `*` and open-ended steps stop at 6 so that Sunday is not counted twice.
        DAY_OF_WEEK("day of week", 0, 7, "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

        private final String label;
        private final int min;
        private final int max;
        private final List<String> names;

        Field(String label, int min, int max, String... names) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.names = List.of(names);
        }

        private int starMax() {
            return this == DAY_OF_WEEK ? 6 : max;
        }

        BitSet parse(String text) {
            BitSet values = new BitSet(max + 1);
            for (String element : text.split(",", -1)) {
                if (element.isEmpty()) {
                    throw invalidCron(label + " '" + text + "' has an empty list element");
                }
                parseElement(element, values);
            }
            return values;
        }

        /** One list element: {@code *}, {@code n} or {@code a-b}, optionally followed by {@code /step}. */
        private void parseElement(String element, BitSet values) {
            int slash = element.indexOf('/');
            String base = slash < 0 ? element : element.substring(0, slash);
            int step = slash < 0 ? 1 : step(element.substring(slash + 1), element);
            int from;
            int to;
            if (base.equals("*")) {
                from = min;
                to = starMax();
            } else {
                int dash = base.indexOf('-', 1);
                from = value(dash < 0 ? base : base.substring(0, dash), element);
                // `5/15` counts from 5 to the end of the field, as most cron implementations read it.
                to = dash >= 0 ? value(base.substring(dash + 1), element) : slash >= 0 ? starMax() : from;
                if (this == DAY_OF_WEEK && dash >= 0 && to == 0 && from > 0) {
                    to = 7; // MON-SUN: Sunday closes the week
                }
                if (from > to) {
                    throw invalidCron(label + " range " + base + " goes backwards; write the smaller value first");
                }
            }
            for (int v = from; v <= to; v += step) {
                values.set(v);
            }
        }

        private int step(String token, String element) {
            int largest = starMax() - min;
            if (!isNumber(token)) {
                throw invalidCron(label + " '" + element + "' has no valid step: expected a number 1-" + largest);
            }
            int step = toInt(token);
            if (step < 1 || step > largest) {
                throw invalidCron(label + " step " + token + " is out of range 1-" + largest);
            }
            return step;
        }

        private int value(String token, String element) {
            int index = names.indexOf(token.toUpperCase(Locale.ROOT));
            if (index >= 0) {
                return index + (this == MONTH ? 1 : 0);
            }
            String range = min + "-" + max + (names.isEmpty() ? "" : " or " + names.get(0) + "-" + names.get(names.size() - 1));
            if (!isNumber(token)) {
                throw invalidCron(label + " '" + element + "' is not valid: expected " + range);
            }
            int value = toInt(token);
            if (value < min || value > max) {
                throw invalidCron(label + " " + token + " is out of range " + range);
            }
            return value;
        }

        private static boolean isNumber(String token) {
            return !token.isEmpty() && token.chars().allMatch(c -> c >= '0' && c <= '9');
        }

        private static int toInt(String digits) {
            return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits); // huge is out of range anyway
        }
    }
}
