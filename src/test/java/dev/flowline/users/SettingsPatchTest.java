package dev.flowline.users;

import dev.flowline.platform.errors.InvalidInputException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsPatchTest {

    private static JsonObject json(String text) {
        return Json.createReader(new java.io.StringReader(text)).readObject();
    }

    @Test
    void mergesNestedObjectsAndRemovesNullKeys() {
        JsonObject current = json("{\"theme\":\"dark\",\"notify\":{\"email\":true,\"sms\":false}}");
        JsonObject patched = SettingsPatch.apply(current, json("{\"theme\":null,\"notify\":{\"sms\":true},\"tz\":\"UTC\"}"), 1000);
        assertThat(patched).isEqualTo(json("{\"notify\":{\"email\":true,\"sms\":true},\"tz\":\"UTC\"}"));
    }

    @Test
    void refusesPatchesThatTouchBilling() {
        assertThatThrownBy(() -> SettingsPatch.apply(JsonObject.EMPTY_JSON_OBJECT, json("{\"billing\":null}"), 1000))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting("field").containsExactly("billing"));
    }

    @Test
    void keepsTheStoredBillingObject() {
        JsonObject current = json("{\"billing\":{\"last_error\":\"x\"},\"a\":1}");
        JsonObject patched = SettingsPatch.apply(current, json("{\"a\":2}"), 1000);
        assertThat(patched).isEqualTo(json("{\"billing\":{\"last_error\":\"x\"},\"a\":2}"));
    }

    @Test
    void refusesSettingsOverTheSizeLimit() {
        assertThatThrownBy(() -> SettingsPatch.apply(JsonObject.EMPTY_JSON_OBJECT, json("{\"a\":\"" + "x".repeat(100) + "\"}"), 50))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("limit is 50");
    }
}
