package dev.flowline.runs;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Time-ordered run ids, so that a run's id names its partition (migration 0039: workflow_runs is partitioned by
 * RANGE (id)): 32 zero bits, the 48-bit Unix time in milliseconds, 48 random bits. The leading zeros keep these ids
 * apart from the random ids of runs made before 0039 (the legacy partition holds ids from {@code 00000001-...} up);
 * the ordering is PostgreSQL's, byte by byte.
 */
public final class RunIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long MILLIS_MASK = (1L << 48) - 1;

    private RunIds() {
    }

    /** A new id for a run made at {@code at}. */
    public static UUID next(Instant at) {
        return of(at.toEpochMilli(), RANDOM.nextLong() & MILLIS_MASK);
    }

    /** The smallest id of {@code at}'s millisecond (SQL: {@code run_id_floor(at)}): a partition's bound. */
    public static UUID floor(Instant at) {
        return of(at.toEpochMilli(), 0);
    }

    /** The time a time-ordered id was made; null for an id made before migration 0039. */
    public static Instant madeAt(UUID id) {
        if ((id.getMostSignificantBits() >>> 32) != 0) {
            return null;
        }
        long millis = (id.getMostSignificantBits() << 16) | (id.getLeastSignificantBits() >>> 48);
        return Instant.ofEpochMilli(millis);
    }

    private static UUID of(long millis, long random) {
        long ms = millis & MILLIS_MASK;
        return new UUID(ms >>> 16, ((ms & 0xFFFF) << 48) | random);
    }
}
