package dev.flowline.platform.json;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Map;

/**
 * The size in bytes of a value's compact JSON text in UTF-8, counted by walking the value without writing it, and
 * only until it passes a limit: the answer is exact up to {@code limit} and some number above it beyond. The walk
 * stops as soon as the count passes the limit, so measuring a value costs at most about {@code limit} steps however
 * large the value is (JSON-P values share structure: one object inserted many times is one object in memory, but
 * each insertion counts its whole size).
 */
public final class JsonSize {

    private JsonSize() {
    }

    public static long of(JsonValue value, long limit) {
        return switch (value.getValueType()) {
            case STRING -> 2 + ofContent(((JsonString) value).getChars(), 0, ((JsonString) value).getChars().length(),
                    limit);
            case NUMBER -> ((JsonNumber) value).toString().length();
            case TRUE, NULL -> 4;
            case FALSE -> 5;
            case OBJECT -> ofObject((JsonObject) value, limit);
            case ARRAY -> ofArray((JsonArray) value, limit);
        };
    }

    /** The bytes of {@code text[start, end)} inside a JSON string: escapes and UTF-8 counted, quotes not. */
    public static long ofContent(CharSequence text, int start, int end, long limit) {
        long size = 0;
        for (int i = start; i < end && size <= limit; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                size += 2;
            } else if (c < 0x20) {
                size += c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 2 : 6;
            } else if (c < 0x80) {
                size += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                size += 2; // a surrogate pair is 4 bytes
            } else {
                size += 3;
            }
        }
        return size;
    }

    private static long ofObject(JsonObject object, long limit) {
        long size = 2 + Math.max(0, object.size() - 1); // braces, commas
        for (Map.Entry<String, JsonValue> member : object.entrySet()) {
            if (size > limit) {
                break;
            }
            String key = member.getKey();
            size += 3 + ofContent(key, 0, key.length(), limit - size); // quotes, colon
            size += of(member.getValue(), limit - size);
        }
        return size;
    }

    private static long ofArray(JsonArray array, long limit) {
        long size = 2 + Math.max(0, array.size() - 1); // brackets, commas
        for (JsonValue element : array) {
            if (size > limit) {
                break;
            }
            size += of(element, limit - size);
        }
        return size;
    }
}
