package dev.flowline.triggers;

import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.errors.UnsupportedMediaException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The decision on webhook bodies (docs/api/errors.md): what becomes a run's input and what is refused. */
class WebhookBodiesTest {

    @Test
    void anEmptyBodyIsAnEmptyInput() {
        assertThat(WebhookBodies.toInput("application/json", new byte[0]).toString()).isEqualTo("{}");
        assertThat(WebhookBodies.toInput(null, new byte[0]).toString()).isEqualTo("{}");
    }

    @Test
    void jsonObjectsAreTheInputAndOtherValuesGoUnderBody() {
        assertThat(WebhookBodies.toInput("application/json; charset=utf-8", utf8("{\"a\":1}")).toString()).isEqualTo("{\"a\":1}");
        assertThat(WebhookBodies.toInput("application/cloudevents+json", utf8("[1,2]")).toString()).isEqualTo("{\"body\":[1,2]}");
    }

    @Test
    void formsAreObjectsOfTheirFields() {
        assertThat(WebhookBodies.toInput("application/x-www-form-urlencoded", utf8("a=1&b=x%20y&a=2")).toString())
                .isEqualTo("{\"a\":[\"1\",\"2\"],\"b\":\"x y\"}");
    }

    @Test
    void otherMediaTypesAre415() {
        assertThatThrownBy(() -> WebhookBodies.toInput("text/plain", utf8("hello"))).isInstanceOf(UnsupportedMediaException.class);
        assertThatThrownBy(() -> WebhookBodies.toInput(null, utf8("hello"))).isInstanceOf(UnsupportedMediaException.class);
    }

    @Test
    void bodiesPostgresWouldRefuseAre400() {
        assertThatThrownBy(() -> WebhookBodies.toInput("application/json", utf8("hello"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> WebhookBodies.toInput("application/json", utf8("{\"a\":1} trailing"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> WebhookBodies.toInput("application/json", utf8("{\"a\":\"\\u0000\"}"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> WebhookBodies.toInput("application/json", new byte[]{'"', (byte) 0xC3, '"'}))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> WebhookBodies.toInput("application/x-www-form-urlencoded", utf8("a=%00")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> WebhookBodies.toInput("application/x-www-form-urlencoded", new byte[]{'a', '=', (byte) 0xFF}))
                .isInstanceOf(InvalidInputException.class);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
