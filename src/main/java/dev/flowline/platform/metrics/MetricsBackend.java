package dev.flowline.platform.metrics;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * One server's metrics API. An implementation is a CDI bean that references its API's classes directly: on a server
 * without that API the container cannot load it and skips it, so only the backends a server supports exist there.
 * Names are Prometheus names without suffixes ({@code flowline_engine_runs}); tags are name/value pairs.
 */
public interface MetricsBackend {

    /** What the start-up log calls it. */
    String describe();

    /** Adds {@code amount} (0 makes the series exist before its first event) to a counter. */
    void add(String name, String description, long amount, String... tags);

    void record(String name, String description, Duration took, String... tags);

    void gauge(String name, String description, Supplier<? extends Number> value, String... tags);
}
