package dev.flowline.engine;

import dev.flowline.platform.persistence.DatabaseAvailability;
import dev.flowline.connections.ConnectionMaintenance;
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
import java.util.logging.Logger;

/**
 * Keeps connections usable between uses, every {@code flowline.connections.interval-seconds} on every instance:
 * refreshes the tokens that would expire before the next tick plus the refresh margin (row locks keep two instances
 * from refreshing one token), re-encrypts values still under an older key, and drops authorizations nobody
 * finished.
 */
@Singleton
@Startup
@DependsOn("LiquibaseMigrator")
public class ConnectionsJob {

    private static final Logger LOG = Logger.getLogger(ConnectionsJob.class.getName());

    @Resource
    ManagedThreadFactory threads;

    @Inject
    DatabaseAvailability database;

    @Inject
    ConnectionMaintenance maintenance;

    @Inject
    @ConfigProperty(name = "flowline.connections.enabled", defaultValue = "true")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "flowline.connections.interval-seconds", defaultValue = "60")
    int intervalSeconds;

    @Inject
    @ConfigProperty(name = "flowline.connections.refresh-margin-seconds", defaultValue = "300")
    long refreshMarginSeconds;

    private final FixedDelayJob job = new FixedDelayJob("Connection maintenance", this::tick, () -> database);

    @PostConstruct
    void start() {
        if (enabled) {
            job.start(threads, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
        }
    }

    /** Stops the job (also called early by {@link EngineShutdown}); stopping again does nothing more. */
    @PreDestroy
    public void stop() {
        job.stop();
    }

    private void tick() {
        int refreshed = maintenance.refreshExpiring(refreshMarginSeconds + intervalSeconds);
        int reencrypted = 0;
        for (int batch = maintenance.reencryptBatch(); batch > 0; batch = maintenance.reencryptBatch()) {
            reencrypted += batch;
        }
        int dropped = maintenance.deleteExpiredAuthorizations();
        if (refreshed + reencrypted + dropped > 0) {
            int total = reencrypted;
            LOG.fine(() -> "Connections: " + refreshed + " refreshed, " + total + " re-encrypted, " + dropped
                    + " expired authorizations dropped");
        }
    }
}
