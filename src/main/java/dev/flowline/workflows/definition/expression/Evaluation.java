package dev.flowline.workflows.definition.expression;

import com.google.common.primitives.UnsignedLong;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationListener;
import dev.flowline.platform.json.JsonSize;
import dev.flowline.platform.json.Jsons;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One evaluation's state: the views through which CEL sees JSON, and the listener that enforces the
 * {@link ExpressionLimits} at every step.
 * <ul>
 *   <li>JSON reaches CEL through views made on access ({@link ObjectView}, {@link ArrayView}): an expression that
 *       reads one field of a large input converts that field, not the input. Integral numbers that fit are
 *       {@code int}, others {@code double}; {@code null} is CEL's {@code null}.</li>
 *   <li>After each step (CEL calls the listener with every sub-expression's value) the step is counted, the clock
 *       checked, and a value the evaluation built (a string, list, map or bytes; not a view of data it was given) is
 *       measured as JSON, no further than {@code maxBytes}. Sizes of lists and maps are kept by identity, so a
 *       list made of an earlier list costs its new elements only, and a value that doubles at each step fails once
 *       its logical size passes the limit, long before memory or an operation over it (an equality at every depth)
 *       could grow with it.</li>
 * </ul>
 */
final class Evaluation implements CelEvaluationListener {

    private final ExpressionLimits limits;
    private final long deadline;
    private long steps;
    private final Map<JsonValue, Object> views = new IdentityHashMap<>();
    private final Map<Object, Long> sizes = new IdentityHashMap<>();

    Evaluation(ExpressionLimits limits) {
        this.limits = limits;
        this.deadline = System.nanoTime() + limits.maxMillis() * 1_000_000;
    }

    long steps() {
        return steps;
    }

    @Override
    public void callback(CelExpr expr, Object value) {
        if (++steps > limits.maxCost()) {
            throw new ExpressionException("went over its cost limit of " + limits.maxCost() + " evaluation steps ("
                    + ExpressionLimits.MAX_COST_SETTING + ")");
        }
        if (System.nanoTime() - deadline > 0) {
            throw new ExpressionException("ran longer than its time limit of " + limits.maxMillis() + " ms ("
                    + ExpressionLimits.MAX_MILLIS_SETTING + ")");
        }
        if (value instanceof String || value instanceof CelByteString
                || (value instanceof List<?> || value instanceof Map<?, ?>) && !(value instanceof View)) {
            checkSize(value);
        }
    }

    /** Fails when {@code value}'s JSON would take more than {@code maxBytes}. */
    void checkSize(Object value) {
        long size = measure(value, limits.maxBytes());
        if (size > limits.maxBytes()) {
            throw new ExpressionException("built a value larger than " + limits.maxBytes()
                    + " bytes as JSON, what the step had left of " + ExpressionLimits.MAX_BYTES_SETTING
                    + "; it stopped there");
        }
    }

    /** The JSON size of a CEL value, exact up to {@code limit} and some number above it beyond. */
    private long measure(Object value, long limit) {
        if (value instanceof String text) {
            return 2 + JsonSize.ofContent(text, 0, text.length(), limit);
        }
        if (value instanceof Boolean bool) {
            return bool ? 4 : 5;
        }
        if (value instanceof Long || value instanceof Double || value instanceof UnsignedLong) {
            return value.toString().length();
        }
        if (value instanceof CelByteString bytes) {
            return 2 + 4L * ((bytes.size() + 2) / 3);
        }
        if (value instanceof View view) {
            Long known = sizes.get(view);
            if (known != null) {
                return known;
            }
            return remember(view, JsonSize.of(view.json(), limit), limit);
        }
        if (value instanceof List<?> list) {
            Long known = sizes.get(list);
            if (known != null) {
                return known;
            }
            long size = 2 + Math.max(0, list.size() - 1);
            for (Object element : list) {
                if (size > limit) {
                    break;
                }
                size += measure(element, limit - size);
            }
            return remember(list, size, limit);
        }
        if (value instanceof Map<?, ?> map) {
            Long known = sizes.get(map);
            if (known != null) {
                return known;
            }
            long size = 2 + Math.max(0, map.size() - 1);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (size > limit) {
                    break;
                }
                size += 1 + measure(String.valueOf(entry.getKey()), limit - size);
                size += measure(entry.getValue(), limit - size);
            }
            return remember(map, size, limit);
        }
        return 32; // null, a timestamp, a duration, a type: small and fixed
    }

    /** Keeps exact sizes only: one measured past a smaller limit would be too small for a larger one. */
    private long remember(Object container, long size, long limit) {
        if (size <= limit) {
            sizes.put(container, size);
        }
        return size;
    }

    /** How CEL sees {@code json}. */
    Object view(JsonValue json) {
        switch (json.getValueType()) {
            case STRING:
                return ((JsonString) json).getString();
            case NUMBER:
                JsonNumber number = (JsonNumber) json;
                if (number.isIntegral()) {
                    try {
                        return number.bigDecimalValue().longValueExact();
                    } catch (ArithmeticException tooLarge) {
                        return number.doubleValue();
                    }
                }
                return number.doubleValue();
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case NULL:
                return NullValue.NULL_VALUE;
            case OBJECT:
                return views.computeIfAbsent(json, object -> new ObjectView((JsonObject) object, this));
            default:
                return views.computeIfAbsent(json, array -> new ArrayView((JsonArray) array, this));
        }
    }

    /** A map of named JSON values (the outputs of earlier nodes) as a CEL map. */
    Map<String, Object> viewMembers(Map<String, JsonValue> members) {
        return new ObjectView(members, this);
    }

    /** The JSON of a value CEL produced; call {@link #checkSize} on it first, which bounds this conversion. */
    JsonValue toJson(Object value) {
        if (value instanceof View view) {
            return view.json();
        }
        if (value instanceof String text) {
            return Jsons.createValue(text);
        }
        if (value instanceof Boolean bool) {
            return bool ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Long number) {
            return Jsons.createValue(number);
        }
        if (value instanceof UnsignedLong number) {
            return Jsons.createValue(new BigDecimal(number.bigIntegerValue()));
        }
        if (value instanceof Double number) {
            if (number.isNaN() || number.isInfinite()) {
                throw new ExpressionException("produced " + number + ", which is not a JSON number");
            }
            return Jsons.createValue(number);
        }
        if (value instanceof NullValue || value instanceof com.google.protobuf.NullValue) {
            return JsonValue.NULL;
        }
        if (value instanceof CelByteString bytes) {
            return Jsons.createValue(Base64.getEncoder().encodeToString(bytes.toByteArray()));
        }
        if (value instanceof Instant || value instanceof Duration) {
            return Jsons.createValue(value.toString());
        }
        if (value instanceof List<?> list) {
            JsonArrayBuilder array = Jsons.createArrayBuilder();
            list.forEach(element -> array.add(toJson(element)));
            return array.build();
        }
        if (value instanceof Map<?, ?> map) {
            JsonObjectBuilder object = Jsons.createObjectBuilder();
            map.forEach((key, member) -> object.add(key(key), toJson(member)));
            return object.build();
        }
        throw new ExpressionException("produced a value of type " + value.getClass().getSimpleName()
                + ", which JSON cannot hold");
    }

    private static String key(Object key) {
        if (key instanceof String || key instanceof Long || key instanceof UnsignedLong || key instanceof Boolean) {
            return key.toString();
        }
        throw new ExpressionException("produced a map with a key of type " + key.getClass().getSimpleName()
                + ", which a JSON object cannot have");
    }

    /** A CEL value backed by JSON that already exists: neither charged nor copied. */
    private interface View {
        JsonValue json();
    }

    private static final class ObjectView extends AbstractMap<String, Object> implements View {

        private final Map<String, JsonValue> members;
        private final Evaluation evaluation;

        ObjectView(Map<String, JsonValue> members, Evaluation evaluation) {
            this.members = members;
            this.evaluation = evaluation;
        }

        @Override
        public JsonValue json() {
            if (members instanceof JsonObject object) {
                return object;
            }
            JsonObjectBuilder object = Jsons.createObjectBuilder();
            members.forEach(object::add);
            return object.build();
        }

        @Override
        public Object get(Object key) {
            JsonValue member = members.get(key);
            return member == null ? null : evaluation.view(member);
        }

        @Override
        public boolean containsKey(Object key) {
            return members.containsKey(key);
        }

        @Override
        public int size() {
            return members.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    Iterator<Entry<String, JsonValue>> entries = members.entrySet().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return entries.hasNext();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            Entry<String, JsonValue> entry = entries.next();
                            return new SimpleImmutableEntry<>(entry.getKey(), evaluation.view(entry.getValue()));
                        }
                    };
                }

                @Override
                public int size() {
                    return members.size();
                }
            };
        }
    }

    private static final class ArrayView extends AbstractList<Object> implements View {

        private final JsonArray array;
        private final Evaluation evaluation;

        ArrayView(JsonArray array, Evaluation evaluation) {
            this.array = array;
            this.evaluation = evaluation;
        }

        @Override
        public JsonValue json() {
            return array;
        }

        @Override
        public Object get(int index) {
            return evaluation.view(array.get(index));
        }

        @Override
        public int size() {
            return array.size();
        }
    }
}
