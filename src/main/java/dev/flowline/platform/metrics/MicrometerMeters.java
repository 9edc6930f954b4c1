package dev.flowline.platform.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Micrometer (WildFly's micrometer subsystem, which provides the registry): in its Prometheus registry the names
 * come out as with MicroProfile Metrics ({@code flowline_engine_runs_total}, {@code flowline_engine_step_seconds_count}),
 * at the management interface's {@code /metrics} beside the server's own (datasource pool included).
 * <p>
 * Only the registry's own {@code counter}, {@code timer} and {@code gauge} methods: WildFly's per-deployment
 * registry passes those to the exported registry (with a deployment tag), while meters built with
 * {@code Counter.builder(...).register(registry)} stay in the deployment's registry, never exported. Those methods
 * take no description, so the Prometheus HELP lines are empty here.
 */
@ApplicationScoped
public class MicrometerMeters implements MetricsBackend {

    @Inject
    MeterRegistry registry;

    /** Micrometer holds a gauge's state object weakly: without this the gauges read NaN after a collection. */
    private final List<Supplier<? extends Number>> gauges = new CopyOnWriteArrayList<>();

    @Override
    public String describe() {
        return "Micrometer, in the server's registry (WildFly: the management interface's /metrics)";
    }

    @Override
    public void add(String name, String description, long amount, String... tags) {
        registry.counter(name, Tags.of(tags)).increment(amount);
    }

    @Override
    public void record(String name, String description, Duration took, String... tags) {
        registry.timer(name, Tags.of(tags)).record(took);
    }

    @Override
    public void gauge(String name, String description, Supplier<? extends Number> value, String... tags) {
        gauges.add(value);
        // WildFly keeps a deployment's gauges after it is undeployed (reading NaN once their state is collected), and
        // registering one again returns the old one: a redeployed WAR would never show its own values
        Gauge previous = registry.find(name).tags(Tags.of(tags)).gauge();
        if (previous != null) {
            registry.remove(previous);
        }
        registry.gauge(name, Tags.of(tags), value, supplier -> supplier.get().doubleValue());
    }
}
