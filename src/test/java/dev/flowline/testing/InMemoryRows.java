package dev.flowline.testing;

import dev.flowline.platform.pagination.Keyset;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What the in-memory repository doubles share to answer as PostgreSQL does: its uuid order, the microseconds a
 * {@code timestamptz} keeps, and keyset pages of {@code limit + 1} rows ordered by (time, id).
 */
public final class InMemoryRows {

    /**
     * PostgreSQL's uuid order: it compares uuids as unsigned bytes, which is the order of their lowercase hex text,
     * whereas {@link UUID#compareTo} compares signed longs and would order some ids differently.
     */
    public static final Comparator<UUID> PG_UUID_ORDER = Comparator.comparing(UUID::toString);

    private InMemoryRows() {
    }

    /** What {@code timestamptz} keeps: microseconds, rounded half up as PostgreSQL and its JDBC driver do. */
    public static Instant micros(Instant instant) {
        return instant == null ? null : instant.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
    }

    /** Ascending by (time, id), ties of time broken in {@link #PG_UUID_ORDER}. */
    public static <T> Comparator<T> oldestFirst(Function<T, Instant> time, Function<T, UUID> id) {
        return Comparator.comparing(time).thenComparing(id, PG_UUID_ORDER);
    }

    /** Descending by (time, id), ties of time broken in {@link #PG_UUID_ORDER}. */
    public static <T> Comparator<T> newestFirst(Function<T, Instant> time, Function<T, UUID> id) {
        return InMemoryRows.<T>oldestFirst(time, id).reversed();
    }

    /** Oldest first, the {@code limit + 1} rows strictly after {@code after} (null: from the first). */
    public static <T> List<T> pageAfter(Stream<T> rows, Function<T, Instant> time, Function<T, UUID> id, Keyset after,
                                        int limit) {
        return rows.filter(row -> after == null || compare(time.apply(row), id.apply(row), after) > 0)
                .sorted(oldestFirst(time, id))
                .limit(limit + 1L)
                .toList();
    }

    /** Newest first, the {@code limit + 1} rows strictly before {@code before} (null: from the newest). */
    public static <T> List<T> pageBefore(Stream<T> rows, Function<T, Instant> time, Function<T, UUID> id, Keyset before,
                                         int limit) {
        return rows.filter(row -> before == null || compare(time.apply(row), id.apply(row), before) < 0)
                .sorted(newestFirst(time, id))
                .limit(limit + 1L)
                .toList();
    }

    /** (at, id) against a keyset position, in the order of {@link #oldestFirst}. */
    private static int compare(Instant at, UUID id, Keyset position) {
        int byTime = at.compareTo(position.at());
        return byTime != 0 ? byTime : PG_UUID_ORDER.compare(id, position.id());
    }
}
