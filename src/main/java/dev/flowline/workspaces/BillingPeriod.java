package dev.flowline.workspaces;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** A half-open period [start, end) over which runs are counted. */
public record BillingPeriod(Instant start, Instant end) {

    public BillingPeriod {
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("A billing period must end after it starts: " + start + " .. " + end);
        }
    }

    /** The calendar month in UTC that contains {@code instant}: the period of workspaces without a billing cycle. */
    public static BillingPeriod calendarMonthOf(Instant instant) {
        YearMonth month = YearMonth.from(instant.atZone(ZoneOffset.UTC));
        return new BillingPeriod(month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
