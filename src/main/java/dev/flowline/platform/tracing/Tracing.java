package dev.flowline.platform.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.logging.Logger;

/**
 * The application's tracer. MicroProfile Telemetry's {@code otel.sdk.disabled} (true unless set, as the
 * specification says) decides: while it is true Flowline uses OpenTelemetry's no-op tracer and never asks the
 * server for its own, so that "off" means no span, no trace context on run rows and no {@code traceparent} on
 * outbound requests (Payara hands out a tracer that records spans, unexported, even while its SDK is disabled).
 */
@ApplicationScoped
public class Tracing {

    /** The instrumentation scope of Flowline's spans. */
    static final String SCOPE = "dev.flowline";

    private static final Logger LOG = Logger.getLogger(Tracing.class.getName());

    @Inject
    @ConfigProperty(name = "otel.sdk.disabled", defaultValue = "true")
    boolean disabled;

    @Inject
    Instance<OpenTelemetry> telemetry;

    private Tracer tracer;

    @PostConstruct
    void init() {
        tracer = disabled ? OpenTelemetry.noop().getTracer(SCOPE) : telemetry.get().getTracer(SCOPE);
        if (!disabled) {
            LOG.info("Tracing is on (otel.sdk.disabled=false): spans of runs, steps and outbound HTTP requests");
        }
    }

    /** Tracing off, for code wired by hand (unit tests). */
    public static Tracing off() {
        Tracing off = new Tracing();
        off.disabled = true;
        off.init();
        return off;
    }

    public boolean enabled() {
        return !disabled;
    }

    public Tracer tracer() {
        return tracer;
    }

    /** The {@code traceparent} of the span current on this thread (the request accepting a run), or null. */
    public String currentTraceParent() {
        return disabled ? null : TraceParent.of(Context.current());
    }
}
