package dev.flowline.runs.jpa;

import dev.flowline.runs.RunIds;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The smallest id a QUEUED or RUNNING run can have (SQL {@code run_queue_floor}, migration 0039), so that the claim's
 * and the hand-off's scans of {@code workflow_runs} ({@code r.id >= floor}) read only the partitions that can hold such
 * a run instead of every period's indexes. Exact: a run is unfinished only from its insert until it ends (an ended run
 * is never queued again: a requeue or rerun is a new run), and its id is made at the insert; the margin covers other
 * instances' clock skew and an insert's open transaction; an unfinished run in the DEFAULT partition (a period without
 * a partition) lowers it to that run's id. Kept per deployment ({@link #SHARED}); an insert of this instance with an
 * older id (a clock set back, a test's past clock) lowers it at once.
 * <p>
 * Reading it probes each period older than the margin (99 ms with 60 past daily partitions), so it is read by one
 * caller at a time, the others taking the last floor (an older floor is only lower: safe), and never by the hand-off's
 * insert while a floor younger than {@link #STALE} exists: that insert runs in the accepting transaction, which holds
 * the workspace's quota row, and every other accept of the workspace would wait for the probe. The engine's claims and
 * successes read it every {@link #TTL}.
 * <p>
 * Statements take it as a literal ({@link #in}), rounded down to its UTC day, not as a bind parameter: PostgreSQL
 * plans a statement whose partitions are pruned by a parameter afresh at every execution (a generic plan's estimate
 * counts every partition, so the custom plan always wins; the claim's planning took 7-10 ms against 1.6-2 ms to run it
 * at 12 partitions, more with more), while with a literal the prepared statement gets one generic plan, pruned once,
 * reused by every execution on the connection (0.06 ms). Partitions start at UTC days, so the rounding prunes the same
 * partitions, and the statement's text changes at most once a day.
 */
final class RunQueueFloor {

    /** Clock skew between instances plus the longest insert transaction, with room to spare. */
    static final Duration MARGIN = Duration.ofHours(1);
    /** How often the engine's statements read the floor again. */
    static final Duration TTL = Duration.ofSeconds(10);
    /** The oldest floor the hand-off's insert takes rather than read it in the accepting transaction. */
    static final Duration STALE = Duration.ofMinutes(5);

    static final RunQueueFloor SHARED = new RunQueueFloor(System::nanoTime);

    private record Floor(UUID id, long readAt) {
    }

    private final LongSupplier ticks;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile Floor current;

    RunQueueFloor(LongSupplier ticks) {
        this.ticks = ticks;
    }

    /** The floor for an engine statement run at {@code now} (its own clock, perhaps not the database's). */
    static UUID of(EntityManager em, Instant now) {
        return SHARED.floor(() -> read(em), now, TTL);
    }

    /** {@code sql} with every {@code {floor}} replaced by {@link #of}'s floor ({@link #in(String, UUID)}). */
    static String in(String sql, EntityManager em, Instant now) {
        return in(sql, of(em, now));
    }

    /** {@code sql} with the floor for the hand-off's insert, read only when none younger than {@link #STALE} exists. */
    static String forAccept(String sql, EntityManager em, Instant now) {
        return in(sql, SHARED.floor(() -> read(em), now, STALE));
    }

    /**
     * {@code sql} with every {@code {floor}} replaced by {@code floor} as a literal rounded down to its UTC day (a uuid
     * made here: nothing of a caller's reaches the text).
     */
    static String in(String sql, UUID floor) {
        return sql.replace("{floor}", "'" + day(floor) + "'::uuid");
    }

    /** The smallest id of the UTC day of {@code floor}'s time (ids made before migration 0039 are not floors). */
    static UUID day(UUID floor) {
        Instant madeAt = RunIds.madeAt(floor);
        return madeAt == null ? floor : RunIds.floor(madeAt.truncatedTo(ChronoUnit.DAYS));
    }

    /** A run inserted by this instance with {@code id}: a floor above it is lowered now, not at the next read. */
    static void inserted(UUID id) {
        SHARED.lowerTo(id);
    }

    /**
     * The floor for {@code now}: read by {@code reader} when there is none, or when it is older than {@code maxAge} and
     * no other caller is reading it (that caller's floor comes soon; until then the last one serves).
     */
    UUID floor(Supplier<UUID> reader, Instant now, Duration maxAge) {
        Floor floor = current;
        long tick = ticks.getAsLong();
        if (floor == null || tick - floor.readAt() > maxAge.toNanos()) {
            if (reading.compareAndSet(false, true)) {
                try {
                    floor = new Floor(reader.get(), tick);
                    current = floor;
                } finally {
                    reading.set(false);
                }
            } else if (floor == null) {
                floor = new Floor(reader.get(), tick);
            }
        }
        return lower(floor.id(), RunIds.floor(now.minus(MARGIN)));
    }

    void lowerTo(UUID id) {
        Floor floor = current;
        if (floor != null && id.compareTo(floor.id()) < 0) {
            current = new Floor(id, floor.readAt());
        }
    }

    private static UUID read(EntityManager em) {
        return (UUID) em.createNativeQuery("SELECT run_queue_floor(make_interval(secs => ?1))")
                .setParameter(1, (double) MARGIN.toSeconds())
                .getSingleResult();
    }

    private static UUID lower(UUID a, UUID b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
