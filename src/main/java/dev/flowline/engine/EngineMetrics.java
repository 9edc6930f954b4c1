package dev.flowline.engine;

import dev.flowline.runs.RunQueue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

import java.time.Clock;
import java.time.Duration;

/**
 * The engine's figures at {@code /metrics} (MicroProfile Metrics, application scope; Prometheus names such as
 * {@code flowline_engine_runs_total{outcome="succeeded"}}, {@code flowline_engine_queue_depth},
 * {@code flowline_engine_step_seconds_count{node_type="http.request"}}): runs started, succeeded, retried,
 * dead-lettered (those timed out also counted apart) and canceled on this instance; the queue depth (due runs
 * waiting, for all instances); how long claims and steps take.
 */
@ApplicationScoped
public class EngineMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    RunQueue queue;

    @Inject
    Clock clock;

    private Counter started;
    private Counter succeeded;
    private Counter retried;
    private Counter deadLettered;
    private Counter canceled;
    private Counter timedOut;
    private Timer claims;

    @PostConstruct
    void register() {
        started = runs("started");
        succeeded = runs("succeeded");
        retried = runs("retried");
        deadLettered = runs("dead_lettered");
        canceled = runs("canceled");
        timedOut = runs("timed_out");
        claims = registry.timer(Metadata.builder().withName("flowline_engine_claim")
                .withDescription("How long one claim of due runs takes").withUnit(MetricUnits.SECONDS).build());
        registry.gauge(Metadata.builder().withName("flowline_engine_queue_depth")
                .withDescription("Due runs waiting for a worker, on all instances").build(),
                this, metrics -> metrics.queue.depth(metrics.clock.instant()));
    }

    /** One name, one description, a tag per outcome: MicroProfile Metrics wants the same metadata for a name. */
    private Counter runs(String outcome) {
        return registry.counter(Metadata.builder().withName("flowline_engine_runs")
                .withDescription("Runs by what this instance's engine did with them: started (or resumed), succeeded,"
                        + " retried (a failed attempt), dead_lettered, canceled, timed_out (also dead_lettered)")
                        .build(),
                new Tag("outcome", outcome));
    }

    void started() {
        started.inc();
    }

    void succeeded() {
        succeeded.inc();
    }

    void retried() {
        retried.inc();
    }

    void deadLettered() {
        deadLettered.inc();
    }

    void canceled() {
        canceled.inc();
    }

    /** Stopped by {@code flowline.engine.run-timeout-seconds} (and dead-lettered, counted there too). */
    void timedOut() {
        timedOut.inc();
    }

    void claimed(Duration took) {
        claims.update(took);
    }

    /** The time of one step of a node type. */
    void step(String nodeType, Duration took) {
        registry.timer(Metadata.builder().withName("flowline_engine_step")
                .withDescription("How long steps take, by node type").withUnit(MetricUnits.SECONDS).build(),
                new Tag("node_type", nodeType)).update(took);
    }
}
