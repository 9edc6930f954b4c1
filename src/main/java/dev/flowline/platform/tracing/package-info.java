/**
 * Traces through MicroProfile Telemetry (OpenTelemetry), off unless {@code otel.sdk.disabled=false}:
 * {@link dev.flowline.platform.tracing.Tracing} gives the application's tracer (a no-op one while tracing is off, so
 * no span, no stored trace context and no {@code traceparent} header exist then), and
 * {@link dev.flowline.platform.tracing.TraceParent} turns a trace context into the W3C {@code traceparent} text a run
 * row keeps between the request that accepted the run and the engine thread that executes it, and back.
 * The server's own instrumentation makes the span of each HTTP request; Flowline adds the run, step and outbound
 * HTTP spans.
 */
package dev.flowline.platform.tracing;
