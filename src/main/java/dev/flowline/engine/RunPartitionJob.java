package dev.flowline.engine;

import dev.flowline.platform.persistence.DatabaseAvailability;
import dev.flowline.runs.RunPartition;
import dev.flowline.runs.RunPartitions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Makes the run history's partitions ahead (migration 0039): at start and every hour, the period of now and the
 * {@code flowline.runs.partitions-ahead} after it, each a {@code flowline.runs.partition-interval} (DAY or MONTH, UTC).
 * Every instance does it; a period that exists is left alone. Runs of a period without partitions go to the DEFAULT
 * partition (an insert never fails) and are deleted by retention's batches.
 */
@Singleton
@Startup
@DependsOn("LiquibaseMigrator")
public class RunPartitionJob {

    private static final Logger LOG = Logger.getLogger(RunPartitionJob.class.getName());

    @Resource
    ManagedThreadFactory threads;

    @Inject
    DatabaseAvailability database;

    @Inject
    RunPartitions partitions;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "flowline.runs.partition-interval", defaultValue = "MONTH")
    String interval;

    @Inject
    @ConfigProperty(name = "flowline.runs.partitions-ahead", defaultValue = "2")
    int ahead;

    private final FixedDelayJob job = new FixedDelayJob("Making run partitions", this::make, () -> database);

    @PostConstruct
    void start() {
        job.start(threads, 0, 60, TimeUnit.MINUTES);
    }

    @PreDestroy
    public void stop() {
        job.stop();
    }

    void make() {
        for (RunPartition period : RunPartitionPlan.toMake(
                RunPartition.Interval.valueOf(interval.trim().toUpperCase(java.util.Locale.ROOT)), Math.max(0, ahead), clock.instant())) {
            String outcome = partitions.create(period);
            switch (outcome) {
                case "created" -> LOG.info(() -> "Run partitions " + period.suffix() + " made");
                case "exists" -> { }
                default -> LOG.warning(() -> "Run partitions " + period.suffix() + " not made: " + outcome
                        + " (its runs go to the DEFAULT partition; see docs/operating/deploying.md)");
            }
        }
    }
}
