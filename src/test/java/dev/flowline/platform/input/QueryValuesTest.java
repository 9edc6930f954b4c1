package dev.flowline.platform.input;

import dev.flowline.platform.errors.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryValuesTest {

    @Test
    void blankIsAbsent() {
        assertThat(QueryValues.uuid("actor", " ")).isNull();
        assertThat(QueryValues.time("since", null)).isNull();
    }

    @Test
    void canonicalValuesAreRead() {
        UUID id = UUID.randomUUID();
        assertThat(QueryValues.uuid("actor", " " + id.toString().toUpperCase() + " ")).isEqualTo(id);
        assertThat(QueryValues.time("since", "2026-11-28T10:00:00Z")).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
    }

    @Test
    void malformedValuesAre400sNamingTheParameter() {
        // UUID.fromString accepts "1-2-3-4-5": only the canonical form is an id
        assertThatThrownBy(() -> QueryValues.uuid("actor", "1-2-3-4-5")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("actor must be a UUID");
        assertThatThrownBy(() -> QueryValues.time("since", "yesterday")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("since must be an RFC 3339 time");
        assertThatThrownBy(() -> QueryValues.time("since", "+10000-01-01T00:00:00Z"))
                .isInstanceOf(InvalidInputException.class);
    }
}
