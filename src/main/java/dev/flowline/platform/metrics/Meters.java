package dev.flowline.platform.metrics;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Where the application's metrics go: the first backend this server can load (see the package documentation), or
 * nowhere. Metrics are an aid: recording one never fails what is being measured.
 */
@ApplicationScoped
public class Meters {

    private static final Logger LOG = Logger.getLogger(Meters.class.getName());

    @Inject
    @Any
    Instance<MetricsBackend> backends;

    private MetricsBackend backend;

    @PostConstruct
    void choose() {
        use(backends);
    }

    /** The first of {@code candidates}, or none. */
    void use(Iterable<? extends MetricsBackend> candidates) {
        for (MetricsBackend candidate : candidates) {
            backend = candidate;
            LOG.info(() -> "Metrics: " + candidate.describe());
            return;
        }
        backend = null;
        LOG.warning("Metrics: this server offers neither MicroProfile Metrics nor Micrometer; Flowline records none");
    }

    /** Adds one to the counter {@code name} with these tags (name/value pairs). */
    public void increment(String name, String description, String... tags) {
        add(name, description, 1, tags);
    }

    /** Adds {@code amount} to the counter {@code name}; 0 makes the series show before its first event. */
    public void add(String name, String description, long amount, String... tags) {
        if (backend != null) {
            try {
                backend.add(name, description, amount, tags);
            } catch (RuntimeException metricsUnavailable) {
                // an aid only
            }
        }
    }

    /** Records one duration in the timer {@code name} (seconds) with these tags. */
    public void record(String name, String description, Duration took, String... tags) {
        if (backend != null) {
            try {
                backend.record(name, description, took, tags);
            } catch (RuntimeException metricsUnavailable) {
                // an aid only
            }
        }
    }

    /** Registers a gauge read from {@code value} whenever metrics are collected, with these tags (name/value pairs). */
    public void gauge(String name, String description, Supplier<? extends Number> value, String... tags) {
        if (backend != null) {
            try {
                backend.gauge(name, description, value, tags);
            } catch (RuntimeException metricsUnavailable) {
                // an aid only
            }
        }
    }
}
