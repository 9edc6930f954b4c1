package dev.flowline.platform.persistence;

import dev.flowline.platform.json.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.io.StringReader;

/**
 * Maps a JSON-P object to a {@code jsonb} column. The database side is {@code Object}: pgjdbc hands back a
 * PGobject (a String side fails on read); writes rely on {@code stringType=unspecified}.
 */
@Converter
public class JsonObjectConverter implements AttributeConverter<JsonObject, Object> {

    @Override
    public Object convertToDatabaseColumn(JsonObject json) {
        return json == null ? null : json.toString();
    }

    @Override
    public JsonObject convertToEntityAttribute(Object column) {
        return column == null ? null : parse(column.toString());
    }

    public static JsonObject parse(String json) {
        try (JsonReader reader = Jsons.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
