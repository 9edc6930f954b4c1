package dev.flowline.engine;

import dev.flowline.platform.persistence.DatabaseAvailability;
import dev.flowline.billing.OverageReporting;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.TimeUnit;

/**
 * Sends metered overage to Stripe ({@link OverageReporting#drain}) every {@code flowline.billing.overage.poll-seconds},
 * on every instance (claims skip reports another instance holds). Idle while billing or its meter is not configured.
 */
@Singleton
@Startup
@DependsOn("LiquibaseMigrator")
public class OverageReportJob {

    @Resource
    ManagedThreadFactory threads;

    @Inject
    DatabaseAvailability database;

    @Inject
    OverageReporting reporting;

    @Inject
    @ConfigProperty(name = "flowline.billing.overage.enabled", defaultValue = "true")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "flowline.billing.overage.poll-seconds", defaultValue = "60")
    int pollSeconds;

    private final FixedDelayJob job = new FixedDelayJob("Reporting overage to Stripe", this::tick, () -> database);

    @PostConstruct
    void start() {
        if (enabled && reporting.active()) {
            job.start(threads, pollSeconds, pollSeconds, TimeUnit.SECONDS);
        }
    }

    /** Stops the job (also called early by {@link EngineShutdown}); stopping again does nothing more. */
    @PreDestroy
    public void stop() {
        job.stop();
    }

    private void tick() {
        // a full batch may mean more are due: go on until a batch comes back short
        for (int i = 0; i < 100 && reporting.drain() > 0; i++) {
            // each drain sends one batch
        }
    }
}
