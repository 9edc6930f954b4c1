/**
 * Application metrics without tying the code to one server's metrics API: {@link dev.flowline.platform.metrics.Meters}
 * records counters, timers and gauges through the first {@link dev.flowline.platform.metrics.MetricsBackend} the
 * server can load: MicroProfile Metrics on Payara ({@code /metrics}), Micrometer on WildFly (the management
 * interface's {@code /metrics}), none where neither API is present (then nothing is recorded and the start-up log says so).
 */
package dev.flowline.platform.metrics;
