package dev.flowline.runs.api;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.input.ClientJson;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** {@code {"input": {...}}}; the body and its input are optional ({} by default). */
public record CreateRunRequest(JsonObject input) {

    static CreateRunRequest parse(String body) {
        if (body == null || body.isBlank()) {
            return new CreateRunRequest(JsonValue.EMPTY_JSON_OBJECT);
        }
        // Read whatever the Content-Type says (curl sends form encoding), under the same rules as every JSON body
        JsonValue value = ClientJson.parse(body);
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidInputException("The body must be a JSON object.", new FieldError("body", "must be an object"));
        }
        JsonObject object = value.asJsonObject();
        for (String key : object.keySet()) {
            if (!key.equals("input")) {
                throw new InvalidInputException("Unknown property '" + key + "'.", new FieldError(key, "unknown property"));
            }
        }
        JsonValue input = object.getOrDefault("input", JsonValue.NULL);
        if (input.getValueType() == JsonValue.ValueType.NULL) {
            return new CreateRunRequest(JsonValue.EMPTY_JSON_OBJECT);
        }
        if (input.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidInputException("input must be a JSON object.", new FieldError("input", "must be an object"));
        }
        return new CreateRunRequest(input.asJsonObject());
    }
}
