package dev.flowline.platform.input;

import dev.flowline.platform.errors.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientTextTest {

    @Test
    void acceptsOrdinaryTextAndNull() {
        assertThat(ClientText.problem(null)).isNull();
        assertThat(ClientText.problem("Ann \uD83D\uDE00 é\t\n")).isNull();
        assertThat(ClientText.require("name", "Ann")).isEqualTo("Ann");
    }

    @Test
    void refusesNulAndUnpairedSurrogatesNamingTheField() {
        assertThat(ClientText.problem("a\u0000")).contains("U+0000");
        assertThat(ClientText.problem("\uD800")).contains("surrogate");
        assertThat(ClientText.problem("\uDC00\uD800")).contains("surrogate");
        assertThatThrownBy(() -> ClientText.require("email", "a\u0000@example.com"))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("email"));
    }

    @Test
    void instantsOutsideTheStorableYearsAreRefused() {
        assertThat(StorableInstants.require("from", Instant.parse("2026-11-30T00:00:00Z"))).isNotNull();
        assertThat(StorableInstants.require("from", null)).isNull();
        assertThat(StorableInstants.storable(StorableInstants.MIN)).isTrue();
        assertThat(StorableInstants.storable(StorableInstants.MAX)).isTrue();
        assertThat(StorableInstants.storable(Instant.parse("+10000-01-01T00:00:00Z"))).isFalse();
        assertThat(StorableInstants.storable(Instant.parse("-0001-01-01T00:00:00Z"))).isFalse();
        assertThatThrownBy(() -> StorableInstants.require("to", Instant.MAX))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("to"));
    }
}
