package dev.flowline.platform.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The traceparent a run row keeps: written from a span's context and read back into one, by OpenTelemetry's W3C propagator. */
class TraceParentTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @Test
    void aSpansContextBecomesItsTraceparentAndBack() {
        Context accepted = Context.root().with(Span.wrap(
                SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(), TraceState.getDefault())));

        String stored = TraceParent.of(accepted);
        SpanContext read = Span.fromContext(TraceParent.context(stored)).getSpanContext();

        assertThat(stored).isEqualTo("00-" + TRACE + "-" + SPAN + "-01");
        assertThat(read.isRemote()).isTrue();
        assertThat(read.getTraceId()).isEqualTo(TRACE);
        assertThat(read.getSpanId()).isEqualTo(SPAN);
        assertThat(read.isSampled()).isTrue();
    }

    @Test
    void anUnsampledTraceStaysUnsampled() {
        Context accepted = Context.root().with(Span.wrap(
                SpanContext.create(TRACE, SPAN, TraceFlags.getDefault(), TraceState.getDefault())));

        assertThat(TraceParent.of(accepted)).endsWith("-00");
        assertThat(Span.fromContext(TraceParent.context(TraceParent.of(accepted))).getSpanContext().isSampled())
                .isFalse();
    }

    @Test
    void noSpanNoTraceparent() {
        assertThat(TraceParent.of(Context.root())).isNull();
        assertThat(TraceParent.of(Context.root().with(Span.getInvalid()))).isNull();
    }

    @Test
    void aMissingOrMalformedTraceparentStartsANewTrace() {
        for (String stored : new String[]{null, "", " ", "00-zz-11-01", "00-" + TRACE + "-0000000000000000-01",
                "00-00000000000000000000000000000000-" + SPAN + "-01", "garbage"}) {
            assertThat(Span.fromContext(TraceParent.context(stored)).getSpanContext().isValid()).as(stored).isFalse();
        }
    }

    @Test
    void tracingOffRecordsNothing() {
        Tracing off = Tracing.off();

        assertThat(off.enabled()).isFalse();
        try (var scope = Span.wrap(SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(), TraceState.getDefault()))
                .makeCurrent()) {
            assertThat(off.currentTraceParent()).as("even inside a server's span").isNull();
            assertThat(off.tracer().spanBuilder("x").startSpan().isRecording()).isFalse();
        }
    }
}
