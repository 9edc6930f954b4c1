package dev.flowline.triggers;

import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.errors.UnsupportedMediaException;
import dev.flowline.platform.input.ClientJson;
import dev.flowline.platform.input.ClientText;
import dev.flowline.platform.json.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a webhook request body into a run's input: a JSON object as it is, any other JSON value as
 * {@code {"body": value}}, a form as an object of its fields (a repeated field becomes an array), nothing as {}.
 * Any other media type is a 415; JSON breaking a {@link ClientJson} rule (invalid UTF-8, trailing data, U+0000, ...)
 * and a form that is not UTF-8 or holds U+0000 are 400s, so nothing PostgreSQL refuses reaches the run's input.
 */
final class WebhookBodies {

    private WebhookBodies() {
    }

    static JsonObject toInput(String contentType, byte[] body) {
        if (body.length == 0) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
        if (type.equals("application/json") || type.endsWith("+json")) {
            return json(body);
        }
        if (type.equals("application/x-www-form-urlencoded")) {
            return form(ClientJson.utf8(body));
        }
        throw new UnsupportedMediaException("Send the webhook body as application/json or application/x-www-form-urlencoded.");
    }

    private static JsonObject json(byte[] body) {
        JsonValue value = ClientJson.parse(body);
        return value.getValueType() == JsonValue.ValueType.OBJECT ? value.asJsonObject()
                : Jsons.createObjectBuilder().add("body", value).build();
    }

    private static JsonObject form(String body) {
        Map<String, java.util.List<String>> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            fields.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
        }
        JsonObjectBuilder input = Jsons.createObjectBuilder();
        fields.forEach((name, values) -> {
            if (values.size() == 1) {
                input.add(name, values.get(0));
            } else {
                input.add(name, Jsons.createArrayBuilder(values));
            }
        });
        return input.build();
    }

    private static String decode(String text) {
        try {
            return ClientText.require("form field", URLDecoder.decode(text, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("The webhook form body is not valid URL encoding.");
        }
    }
}
