package dev.flowline.platform.input;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientJsonTest {

    @Test
    void readsOrdinaryJson() {
        assertThat(ClientJson.parse("{\"a\":[1,2.5,-3e10,\"x\",true,null,{\"b\":\"é ✓ \uD83D\uDE00\"}]}").toString())
                .isEqualTo("{\"a\":[1,2.5,-3E+10,\"x\",true,null,{\"b\":\"é ✓ \uD83D\uDE00\"}]}");
        assertThat(ClientJson.parse(" \"text\" \n").toString()).isEqualTo("\"text\"");
    }

    @Test
    void refusesTrailingDataAfterTheValue() {
        assertThatThrownBy(() -> ClientJson.parse("{\"a\":1} x")).isInstanceOf(MalformedJsonException.class);
        assertThatThrownBy(() -> ClientJson.parse("{\"a\":1}{}")).isInstanceOf(MalformedJsonException.class);
        assertThatThrownBy(() -> ClientJson.parse("[1]]")).isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void refusesMalformedAndEmptyBodies() {
        assertThatThrownBy(() -> ClientJson.parse("{\"a\":")).isInstanceOf(MalformedJsonException.class);
        assertThatThrownBy(() -> ClientJson.parse("")).isInstanceOf(MalformedJsonException.class);
        assertThatThrownBy(() -> ClientJson.parse("hello")).isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void refusesNulInValuesAndKeysNamingTheField() {
        assertThat(field(() -> ClientJson.parse("{\"input\":{\"name\":\"a\\u0000b\"}}"))).isEqualTo("input.name");
        assertThat(field(() -> ClientJson.parse("{\"a\":[\"x\",{\"b\\u0000\":1}]}"))).isEqualTo("a[1].b\u0000");
        assertThat(field(() -> ClientJson.parse("[\"ok\",\"\\u0000\"]"))).isEqualTo("[1]");
        assertThat(field(() -> ClientJson.parse("\"\\u0000\""))).isEqualTo("body");
        // raw, unescaped NUL bytes are a syntax error already
        assertThatThrownBy(() -> ClientJson.parse("{\"a\":\"\u0000\"}")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void refusesUnpairedSurrogates() {
        assertThat(field(() -> ClientJson.parse("{\"a\":\"\\ud800x\"}"))).isEqualTo("a");
        assertThat(field(() -> ClientJson.parse("{\"a\":\"x\\udc00\"}"))).isEqualTo("a");
        assertThat(ClientJson.parse("{\"a\":\"\\ud83d\\ude00\"}").asJsonObject().getString("a")).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        String ok = "[".repeat(ClientJson.MAX_DEPTH) + "]".repeat(ClientJson.MAX_DEPTH);
        assertThat(ClientJson.parse(ok)).isNotNull();
        String deep = "[".repeat(ClientJson.MAX_DEPTH + 1) + "]".repeat(ClientJson.MAX_DEPTH + 1);
        assertThatThrownBy(() -> ClientJson.parse(deep)).isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("nested deeper");
        String veryDeep = "{\"a\":".repeat(100_000);
        assertThatThrownBy(() -> ClientJson.parse(veryDeep)).isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void refusesNumbersPostgresNumericCannotHold() {
        assertThat(ClientJson.storableNumber("1e1000")).isTrue();
        assertThat(ClientJson.storableNumber("-1.5E-1000")).isTrue();
        assertThat(ClientJson.storableNumber("123456789012345678901234567890")).isTrue();
        assertThat(ClientJson.storableNumber("1e1001")).isFalse();
        assertThat(ClientJson.storableNumber("1e-1001")).isFalse();
        assertThat(ClientJson.storableNumber("1e99999999999999999999")).isFalse();
        assertThat(ClientJson.storableNumber("0." + "0".repeat(16_383) + "1")).isFalse();
        assertThat(ClientJson.storableNumber("9".repeat(131_073))).isFalse();
        assertThat(field(() -> ClientJson.parse("{\"input\":{\"n\":[1e400000]}}"))).isEqualTo("input.n[0]");
    }

    @Test
    void refusesInvalidUtf8() {
        byte[] latin1 = "{\"a\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> ClientJson.parse(latin1)).isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("UTF-8");
        byte[] encodedSurrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
        assertThatThrownBy(() -> ClientJson.parse(encodedSurrogate)).isInstanceOf(MalformedJsonException.class);
        assertThat(ClientJson.parse("{\"a\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8)).asJsonObject().getString("a"))
                .isEqualTo("caf\u00e9");
    }

    @Test
    void checkAnswersTheTextWithoutBuildingAValue() {
        assertThat(ClientJson.check("{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo("{\"a\":1}");
    }

    private static String field(Runnable parse) {
        try {
            parse.run();
        } catch (InvalidInputException e) {
            return e.errors().stream().map(FieldError::field).findFirst().orElse(null);
        }
        throw new AssertionError("not refused");
    }
}
