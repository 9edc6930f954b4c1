package dev.flowline.platform.metrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class MetersTest {

    /** Writes down what it is asked to record; fails every call when told to. */
    static final class RecordingBackend implements MetricsBackend {
        final List<String> calls = new ArrayList<>();
        boolean failing;

        @Override
        public String describe() {
            return "recording";
        }

        @Override
        public void add(String name, String description, long amount, String... tags) {
            record("add " + name + " " + amount + " " + String.join(",", tags));
        }

        @Override
        public void record(String name, String description, Duration took, String... tags) {
            record("time " + name + " " + took.toMillis() + "ms " + String.join(",", tags));
        }

        @Override
        public void gauge(String name, String description, Supplier<? extends Number> value, String... tags) {
            record("gauge " + name + (tags.length == 0 ? "" : " " + String.join(",", tags)) + " " + value.get());
        }

        private void record(String call) {
            if (failing) {
                throw new IllegalStateException("registry gone");
            }
            calls.add(call);
        }
    }

    @Test
    void theFirstBackendTheServerCanLoadRecordsEverything() {
        RecordingBackend first = new RecordingBackend();
        RecordingBackend second = new RecordingBackend();
        Meters meters = new Meters();
        meters.use(List.of(first, second));

        meters.increment("flowline_engine_runs", "runs", "outcome", "succeeded");
        meters.add("flowline_engine_runs", "runs", 0, "outcome", "canceled");
        meters.record("flowline_engine_step", "steps", Duration.ofMillis(12), "node_type", "http.request");
        meters.gauge("flowline_engine_queue_depth", "queue", () -> 3);

        assertThat(first.calls).containsExactly(
                "add flowline_engine_runs 1 outcome,succeeded",
                "add flowline_engine_runs 0 outcome,canceled",
                "time flowline_engine_step 12ms node_type,http.request",
                "gauge flowline_engine_queue_depth 3");
        assertThat(second.calls).isEmpty();
    }

    @Test
    void withoutABackendOrWithAFailingOneNothingIsRecordedAndNothingFails() {
        Meters none = new Meters();
        none.use(List.of());
        assertThatCode(() -> {
            none.increment("a", "a");
            none.record("b", "b", Duration.ZERO);
            none.gauge("c", "c", () -> 1);
        }).doesNotThrowAnyException();

        RecordingBackend failing = new RecordingBackend();
        failing.failing = true;
        Meters broken = new Meters();
        broken.use(List.of(failing));
        assertThatCode(() -> {
            broken.increment("a", "a");
            broken.record("b", "b", Duration.ZERO);
            broken.gauge("c", "c", () -> 1);
        }).doesNotThrowAnyException();
        assertThat(failing.calls).isEmpty();
    }
}
