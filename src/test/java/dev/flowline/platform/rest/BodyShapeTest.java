package dev.flowline.platform.rest;

import dev.flowline.platform.errors.FieldError;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class BodyShapeTest {

    enum Colour { RED, GREEN }

    record Inner(Colour colour, @JsonbProperty("max") Integer maximum) {
    }

    record Outer(String name, Boolean on, Long count, UUID id, Instant at, List<UUID> ids, Map<String, Inner> byName,
                 Inner inner, JsonObject input, JsonValue anything, double ratio) {
    }

    @Test
    void aBodyThatFitsHasNoProblems() {
        assertThat(problems("{\"name\":\"n\",\"on\":true,\"count\":9007199254740993,\"id\":\"" + UUID.randomUUID()
                + "\",\"at\":\"2026-11-28T10:00:00Z\",\"ids\":[],\"byName\":{\"a\":{\"colour\":\"RED\"}},"
                + "\"inner\":{\"colour\":\"GREEN\",\"max\":3},\"input\":{},\"anything\":[1],\"ratio\":0.5}")).isEmpty();
        assertThat(problems("{\"on\":null,\"inner\":null}")).as("null is Bean Validation's").isEmpty();
    }

    @Test
    void everyWrongValueIsNamedByItsPath() {
        assertThat(problems("{\"name\":{},\"on\":\"true\",\"count\":1.5,\"id\":\"1-2-3-4-5\",\"at\":\"yesterday\","
                + "\"ids\":[\"" + UUID.randomUUID() + "\",3],\"byName\":{\"a\":{\"colour\":\"BLUE\"}},"
                + "\"inner\":{\"maximum\":1,\"max\":\"x\"},\"input\":[],\"ratio\":\"half\",\"extra\":0}")).containsExactly(
                new FieldError("name", "must be a string"),
                new FieldError("on", "must be true or false"),
                new FieldError("count", "must be an integer"),
                new FieldError("id", "must be a UUID such as 3f2c9a4e-8d1b-4c7e-9a2f-1b2c3d4e5f60"),
                new FieldError("at", "must be an RFC 3339 time such as 2026-11-28T10:00:00Z"),
                new FieldError("ids[1]", "must be a UUID such as 3f2c9a4e-8d1b-4c7e-9a2f-1b2c3d4e5f60"),
                new FieldError("byName.a.colour", "must be one of RED, GREEN"),
                new FieldError("inner.maximum", "unknown property"),
                new FieldError("inner.max", "must be an integer"),
                new FieldError("input", "must be an object"),
                new FieldError("ratio", "must be a number"),
                new FieldError("extra", "unknown property"));
    }

    @Test
    void aNumberOrBooleanIsNotAString() {
        assertThat(problems("{\"name\":42}")).containsExactly(new FieldError("name", "must be a string"));
        assertThat(problems("{\"name\":true}")).containsExactly(new FieldError("name", "must be a string"));
        assertThat(problems("{\"byName\":{\"a\":{\"colour\":1}}}"))
                .containsExactly(new FieldError("byName.a.colour", "must be one of RED, GREEN"));
    }

    @Test
    void aPrimitiveMustNotBeNullAndTheListIsBounded() {
        assertThat(problems("{\"ratio\":null}")).containsExactly(new FieldError("ratio", "must not be null"));
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 50; i++) {
            many.append(i == 0 ? "" : ",").append("\"x").append(i).append("\":1");
        }
        assertThat(problems(many.append('}').toString())).hasSize(BodyShape.MAX_ERRORS);
    }

    private static List<FieldError> problems(String json) {
        return BodyShape.problems(Json.createReader(new StringReader(json)).readValue(), Outer.class);
    }
}
