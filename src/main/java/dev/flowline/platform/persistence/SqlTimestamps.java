package dev.flowline.platform.persistence;

import java.sql.Timestamp;
import java.time.Instant;

/** Parameters and results of native queries: {@code timestamptz} travels as {@link Timestamp}. */
public final class SqlTimestamps {

    private SqlTimestamps() {
    }

    public static Timestamp of(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    public static Instant toInstant(Object column) {
        if (column == null) {
            return null;
        }
        if (column instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (column instanceof java.time.OffsetDateTime offsetDateTime) {
            return offsetDateTime.toInstant();
        }
        throw new IllegalArgumentException("Not a timestamp: " + column.getClass().getName());
    }
}
