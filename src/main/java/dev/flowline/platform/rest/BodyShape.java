package dev.flowline.platform.rest;

import dev.flowline.platform.errors.FieldError;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTransient;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a JSON body against the request record it is read into, before JSON-B reads it, so that a wrong value
 * names itself: an unknown property, a value of the wrong JSON type, a string that is not a UUID or an RFC 3339
 * time, an enum value that is not one of the constants (listed). JSON-B's own failure names nothing a client knows
 * (its message names Java classes), and it stops at the first one; this lists every one, with the field's path as
 * the Bean Validation errors write it ({@code retryPolicy.backoff}, {@code ids[2]}).
 * <p>
 * A number or boolean where a string is expected is refused (JSON-B would read it as its text), and {@code null} is
 * left to Bean Validation ({@code @NotNull}). Types it does not know are left to JSON-B.
 */
final class BodyShape {

    /** The canonical text of a UUID (JSON-B's {@code UUID.fromString} also takes {@code 1-2-3-4-5}). */
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** At most this many field errors are listed; a body that is wrong everywhere does not make a huge answer. */
    static final int MAX_ERRORS = 20;

    private BodyShape() {
    }

    /** What is wrong with {@code body} as a {@code type}; empty when JSON-B may read it. */
    static List<FieldError> problems(JsonValue body, Type type) {
        List<FieldError> errors = new ArrayList<>();
        check(body, type, null, errors);
        return errors.size() > MAX_ERRORS ? List.copyOf(errors.subList(0, MAX_ERRORS)) : errors;
    }

    private static void check(JsonValue value, Type type, String path, List<FieldError> errors) {
        if (errors.size() > MAX_ERRORS) {
            return;
        }
        Class<?> raw = raw(type);
        if (raw == null || value.getValueType() == JsonValue.ValueType.NULL) {
            if (raw != null && raw.isPrimitive()) {
                errors.add(error(path, "must not be null"));
            }
            return;
        }
        if (JsonValue.class.isAssignableFrom(raw)) {
            jsonValue(value, raw, path, errors);
        } else if (raw == String.class || raw == char.class || raw == Character.class) {
            // JSON-B would read a number or boolean as its text ({"name": 42} -> "42"): the contract says string,
            // and a generated client and a hand-written one must meet the same contract
            if (!(value instanceof JsonString)) {
                errors.add(error(path, "must be a string"));
            }
        } else if (raw == Boolean.class || raw == boolean.class) {
            if (value.getValueType() != JsonValue.ValueType.TRUE && value.getValueType() != JsonValue.ValueType.FALSE) {
                errors.add(error(path, "must be true or false"));
            }
        } else if (isInteger(raw)) {
            integer(value, raw, path, errors);
        } else if (Number.class.isAssignableFrom(raw) || raw == double.class || raw == float.class) {
            if (value.getValueType() != JsonValue.ValueType.NUMBER) {
                errors.add(error(path, "must be a number"));
            }
        } else if (raw == UUID.class) {
            if (!(value instanceof JsonString text) || !UUID_TEXT.matcher(text.getString()).matches()) {
                errors.add(error(path, "must be a UUID such as 3f2c9a4e-8d1b-4c7e-9a2f-1b2c3d4e5f60"));
            }
        } else if (raw == Instant.class || raw == OffsetDateTime.class) {
            if (!(value instanceof JsonString text) || !isTime(text.getString())) {
                errors.add(error(path, "must be an RFC 3339 time such as 2026-11-28T10:00:00Z"));
            }
        } else if (raw.isEnum()) {
            enumValue(value, raw, path, errors);
        } else if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
            if (!(value instanceof JsonArray array)) {
                errors.add(error(path, "must be an array"));
                return;
            }
            Type element = raw.isArray() ? elementOfArray(type, raw) : argument(type, 0);
            for (int i = 0; i < array.size(); i++) {
                check(array.get(i), element, (path == null ? "" : path) + "[" + i + "]", errors);
            }
        } else if (Map.class.isAssignableFrom(raw)) {
            if (!(value instanceof JsonObject object)) {
                errors.add(error(path, "must be an object"));
                return;
            }
            Type valueType = argument(type, 1);
            object.forEach((key, member) -> check(member, valueType, join(path, key), errors));
        } else if (raw.isRecord()) {
            record(value, raw, path, errors);
        }
        // other types: JSON-B's to judge
    }

    private static void record(JsonValue value, Class<?> record, String path, List<FieldError> errors) {
        if (!(value instanceof JsonObject object)) {
            errors.add(error(path, "must be an object"));
            return;
        }
        for (Map.Entry<String, JsonValue> member : object.entrySet()) {
            RecordComponent component = component(record, member.getKey());
            if (component == null) {
                errors.add(error(join(path, member.getKey()), "unknown property"));
            } else {
                check(member.getValue(), component.getGenericType(), join(path, member.getKey()), errors);
            }
        }
    }

    /** The record component JSON-B reads {@code name} into: by {@code @JsonbProperty}, else by its own name. */
    private static RecordComponent component(Class<?> record, String name) {
        for (RecordComponent component : record.getRecordComponents()) {
            if (transientComponent(record, component)) {
                continue;
            }
            if (jsonName(record, component).equals(name)) {
                return component;
            }
        }
        return null;
    }

    private static String jsonName(Class<?> record, RecordComponent component) {
        JsonbProperty property = component.getAccessor().getAnnotation(JsonbProperty.class);
        if (property == null) {
            Field field = field(record, component);
            property = field == null ? null : field.getAnnotation(JsonbProperty.class);
        }
        return property == null || property.value().isEmpty() ? component.getName() : property.value();
    }

    private static boolean transientComponent(Class<?> record, RecordComponent component) {
        Field field = field(record, component);
        return component.getAccessor().isAnnotationPresent(JsonbTransient.class)
                || (field != null && field.isAnnotationPresent(JsonbTransient.class));
    }

    private static Field field(Class<?> record, RecordComponent component) {
        try {
            return record.getDeclaredField(component.getName());
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static void jsonValue(JsonValue value, Class<?> raw, String path, List<FieldError> errors) {
        if (raw == JsonObject.class && value.getValueType() != JsonValue.ValueType.OBJECT) {
            errors.add(error(path, "must be an object"));
        } else if (raw == JsonArray.class && value.getValueType() != JsonValue.ValueType.ARRAY) {
            errors.add(error(path, "must be an array"));
        } else if (raw == JsonString.class && value.getValueType() != JsonValue.ValueType.STRING) {
            errors.add(error(path, "must be a string"));
        } else if (raw == JsonNumber.class && value.getValueType() != JsonValue.ValueType.NUMBER) {
            errors.add(error(path, "must be a number"));
        } else if (raw == JsonStructure.class && !(value instanceof JsonStructure)) {
            errors.add(error(path, "must be an object or an array"));
        }
    }

    private static boolean isInteger(Class<?> raw) {
        return raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class
                || raw == Short.class || raw == short.class || raw == Byte.class || raw == byte.class
                || raw == BigInteger.class;
    }

    private static void integer(JsonValue value, Class<?> raw, String path, List<FieldError> errors) {
        if (!(value instanceof JsonNumber number)) {
            errors.add(error(path, "must be an integer"));
            return;
        }
        BigDecimal exact = number.bigDecimalValue();
        BigInteger whole;
        try {
            whole = exact.toBigIntegerExact();
        } catch (ArithmeticException fraction) {
            errors.add(error(path, "must be an integer"));
            return;
        }
        long min;
        long max;
        if (raw == Integer.class || raw == int.class) {
            min = Integer.MIN_VALUE;
            max = Integer.MAX_VALUE;
        } else if (raw == Short.class || raw == short.class) {
            min = Short.MIN_VALUE;
            max = Short.MAX_VALUE;
        } else if (raw == Byte.class || raw == byte.class) {
            min = Byte.MIN_VALUE;
            max = Byte.MAX_VALUE;
        } else if (raw == BigInteger.class) {
            return;
        } else {
            min = Long.MIN_VALUE;
            max = Long.MAX_VALUE;
        }
        if (whole.compareTo(BigInteger.valueOf(min)) < 0 || whole.compareTo(BigInteger.valueOf(max)) > 0) {
            errors.add(error(path, "must be an integer from " + min + " to " + max));
        }
    }

    private static void enumValue(JsonValue value, Class<?> raw, String path, List<FieldError> errors) {
        Object[] constants = raw.getEnumConstants();
        if (value instanceof JsonString text) {
            for (Object constant : constants) {
                if (((Enum<?>) constant).name().equals(text.getString())) {
                    return;
                }
            }
        }
        errors.add(error(path, "must be one of " + acceptedValues(raw)));
    }

    /** The names of an enum's constants, comma-separated: what a client may send. */
    static String acceptedValues(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                .collect(Collectors.joining(", "));
    }

    private static boolean isTime(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return raw(p.getRawType());
        }
        if (type instanceof GenericArrayType) {
            return Object[].class;
        }
        if (type instanceof WildcardType w && w.getUpperBounds().length == 1) {
            return raw(w.getUpperBounds()[0]);
        }
        return null;
    }

    private static Type argument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }

    private static Type elementOfArray(Type type, Class<?> raw) {
        if (type instanceof GenericArrayType array) {
            return array.getGenericComponentType();
        }
        return raw.getComponentType();
    }

    private static String join(String path, String key) {
        return path == null ? key : path + "." + key;
    }

    private static FieldError error(String path, String message) {
        return new FieldError(path == null ? "body" : path, message);
    }
}
