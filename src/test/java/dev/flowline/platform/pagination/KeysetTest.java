package dev.flowline.platform.pagination;

import dev.flowline.platform.errors.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysetTest {

    private static final UUID ID = UUID.fromString("6f1c1b0e-3d5a-4c2e-9b7a-0e6f2d9c8a11");

    @Test
    void aCursorRoundTrips() {
        Keyset position = new Keyset(Instant.parse("2026-11-30T01:02:03.456789Z"), ID);
        assertThat(Keyset.decode(position.encode())).isEqualTo(position);
        assertThat(Keyset.decode(null)).isNull();
        assertThat(Keyset.decode(" ")).isNull();
    }

    @Test
    void forgedCursorsAre400s() {
        for (String raw : new String[]{
                "9223372036854775807:" + ID,            // year 294247: beyond what the queries can compare
                "-9223372036854775808:" + ID,
                "253402300800000000:" + ID,             // 10000-01-01
                "1:1-1-1-1-1",                          // UUID.fromString would accept the abbreviation
                "1:" + ID + "\u0000",
                "1:" + ID + ":extra",
                "abc:" + ID}) {
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> Keyset.decode(cursor)).as(raw).isInstanceOf(InvalidInputException.class);
        }
        assertThatThrownBy(() -> Keyset.decode("not base64!")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Keyset.decode("\u0000")).isInstanceOf(InvalidInputException.class);
    }
}
