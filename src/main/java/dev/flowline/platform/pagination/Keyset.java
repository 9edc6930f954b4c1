package dev.flowline.platform.pagination;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.input.StorableInstants;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A position in a list ordered by (time, id): the last item of a page. Clients see it as an opaque cursor
 * (base64url of "epoch-micros:uuid"); a tampered cursor is a 400, never a 500.
 */
public record Keyset(Instant at, UUID id) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    public String encode() {
        long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
        String raw = micros + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** What {@link #encode()} writes: epoch microseconds, a colon, a UUID in its canonical form. */
    private static final Pattern RAW = Pattern.compile("-?\\d{1,19}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * Null for the first page. A cursor is client input: it must be exactly what {@link #encode()} writes, and its
     * time must be one PostgreSQL can compare with (a forged far-future time would otherwise reach the query).
     */
    public static Keyset decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        Keyset position;
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
            if (!RAW.matcher(raw).matches()) {
                throw invalid();
            }
            int colon = raw.indexOf(':');
            long micros = Long.parseLong(raw.substring(0, colon));
            Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
            position = new Keyset(at, UUID.fromString(raw.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw invalid();
        }
        if (!StorableInstants.storable(position.at())) {
            throw invalid();
        }
        return position;
    }

    private static InvalidInputException invalid() {
        return new InvalidInputException("The cursor is not one this server issued.", new FieldError("cursor", "invalid"));
    }

    /** The limit to use: {@code null} is the default; outside 1..MAX_LIMIT is a 400. */
    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw new InvalidInputException("limit must be between 1 and " + MAX_LIMIT + ".",
                    new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
        }
        return requested;
    }

    /**
     * Cuts a result fetched with {@code limit + 1} rows into a page: the extra row only says there is more.
     */
    public static <T> Page<T> page(List<T> rows, int limit, Function<T, Keyset> keyOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), keyOf.apply(items.get(limit - 1)).encode());
    }
}
