package dev.flowline.engine;

import dev.flowline.platform.metrics.Meters;
import dev.flowline.runs.RunQueue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;

/**
 * The engine's figures at {@code /metrics} (Prometheus names such as
 * {@code flowline_engine_runs_total{outcome="succeeded"}}, {@code flowline_engine_queue_depth},
 * {@code flowline_engine_step_seconds_count{node_type="http.request"}}): runs started, succeeded, retried,
 * dead-lettered (those timed out also counted apart) and canceled on this instance; the queue depth (due runs
 * waiting, for all instances); how long claims and steps take.
 */
@ApplicationScoped
public class EngineMetrics {

    private static final String RUNS = "flowline_engine_runs";
    private static final String RUNS_HELP = "Runs by what this instance's engine did with them: started (or resumed),"
            + " succeeded, retried (a failed attempt), dead_lettered, canceled, timed_out (also dead_lettered)";
    private static final String[] OUTCOMES = {"started", "succeeded", "retried", "dead_lettered", "canceled",
            "timed_out"};

    private static final String HANDOFFS = "flowline_engine_handoffs";
    private static final String HANDOFFS_HELP = "Runs accepted on this instance by what became of the hand-off to a"
            + " free worker: handed_off (inserted leased, started after the commit, no claim), queued (a worker was"
            + " free but the workflow had no room at once: its limit, an older due run, or its row locked by a claim"
            + " or another accept), no_worker (every worker busy: queued), rolled_back (the accept did not commit)";
    private static final String[] HANDOFF_OUTCOMES = {"handed_off", "queued", "no_worker", "rolled_back"};

    @Inject
    Meters meters;

    @Inject
    RunQueue queue;

    @Inject
    Clock clock;

    @PostConstruct
    void register() {
        for (String outcome : OUTCOMES) {
            meters.add(RUNS, RUNS_HELP, 0, "outcome", outcome);
        }
        for (String outcome : HANDOFF_OUTCOMES) {
            meters.add(HANDOFFS, HANDOFFS_HELP, 0, "outcome", outcome);
        }
        meters.gauge("flowline_engine_queue_depth", "Due runs waiting for a worker, on all instances",
                () -> queue.depth(clock.instant()));
    }

    private void run(String outcome) {
        meters.increment(RUNS, RUNS_HELP, "outcome", outcome);
    }

    void started() {
        run("started");
    }

    void succeeded() {
        run("succeeded");
    }

    void retried() {
        run("retried");
    }

    void deadLettered() {
        run("dead_lettered");
    }

    void canceled() {
        run("canceled");
    }

    /** Stopped by {@code flowline.engine.run-timeout-seconds} (and dead-lettered, counted there too). */
    void timedOut() {
        run("timed_out");
    }

    /** One run accepted here while the engine ran: {@code outcome} is one of {@link #HANDOFF_OUTCOMES}. */
    void handOff(String outcome) {
        meters.increment(HANDOFFS, HANDOFFS_HELP, "outcome", outcome);
    }

    void claimed(Duration took) {
        meters.record("flowline_engine_claim", "How long one claim of due runs takes", took);
    }

    /** The time of one step of a node type. */
    void step(String nodeType, Duration took) {
        meters.record("flowline_engine_step", "How long steps take, by node type", took, "node_type", nodeType);
    }
}
