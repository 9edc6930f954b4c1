package dev.flowline.platform.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * MicroProfile Metrics (Payara), application scope: {@code flowline_engine_runs_total{outcome="succeeded"}},
 * timers as {@code _seconds} summaries. One metadata per name, as MicroProfile Metrics requires.
 */
@ApplicationScoped
public class MicroProfileMeters implements MetricsBackend {

    @Inject
    MetricRegistry registry;

    @Override
    public String describe() {
        return "MicroProfile Metrics, at /metrics";
    }

    @Override
    public void add(String name, String description, long amount, String... tags) {
        registry.counter(Metadata.builder().withName(name).withDescription(description).build(), tags(tags))
                .inc(amount);
    }

    @Override
    public void record(String name, String description, Duration took, String... tags) {
        registry.timer(Metadata.builder().withName(name).withDescription(description).withUnit(MetricUnits.SECONDS)
                .build(), tags(tags)).update(took);
    }

    @Override
    public void gauge(String name, String description, Supplier<? extends Number> value, String... tags) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(), value,
                supplier -> (Number) supplier.get(), tags(tags));
    }

    private static Tag[] tags(String... pairs) {
        Tag[] tags = new Tag[pairs.length / 2];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = new Tag(pairs[2 * i], pairs[2 * i + 1]);
        }
        return tags;
    }
}
