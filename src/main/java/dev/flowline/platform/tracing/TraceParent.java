package dev.flowline.platform.tracing;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.util.HashMap;
import java.util.Map;

/**
 * A trace context as the W3C {@code traceparent} text ({@code 00-<trace id>-<span id>-<flags>}), written and read by
 * OpenTelemetry's own {@link W3CTraceContextPropagator}. A run row keeps it so that the engine, later and perhaps on
 * another instance, continues the trace of the request that accepted the run. Only {@code traceparent} is kept:
 * {@code tracestate} and baggage are vendors' and callers' data that a database row need not hold.
 */
public final class TraceParent {

    static final String HEADER = "traceparent";

    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceParent() {
    }

    /** The {@code traceparent} of the span in {@code context}, or null when it holds no valid span. */
    public static String of(Context context) {
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
        return carrier.get(HEADER);
    }

    /**
     * A context whose span is the remote one {@code traceParent} names, to start a child span from; the root context
     * when it is null or not a valid {@code traceparent} (a new trace then begins).
     */
    public static Context context(String traceParent) {
        if (traceParent == null || traceParent.isBlank()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of(HEADER, traceParent.strip()), MAP);
    }
}
