package dev.flowline.platform.persistence;

import dev.flowline.platform.metrics.Meters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The connection pool's gauges at {@code /metrics}, the same on every server (see {@link PoolUse} for what each
 * counts and its limits): {@code flowline_db_pool_connections{state="in_use"|"idle"}}, {@code flowline_db_pool_waiting}
 * and {@code flowline_db_pool_max}, the pool's configured maximum ({@link FlowlineDataSource#MAX_POOL_SIZE}; on
 * WildFly configure.cli sets the server's pool to the same).
 */
@ApplicationScoped
public class PoolMetrics {

    static final String CONNECTIONS = "flowline_db_pool_connections";
    private static final String CONNECTIONS_HELP = "The application's database connections by state: in_use (taken"
            + " from the pool and not yet returned), idle (open in the pool, not in use; among those handed out at"
            + " least once)";

    @Inject
    Meters meters;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        PoolUse use = PoolUse.APPLICATION;
        meters.gauge(CONNECTIONS, CONNECTIONS_HELP, use::inUse, "state", "in_use");
        meters.gauge(CONNECTIONS, CONNECTIONS_HELP, use::idle, "state", "idle");
        meters.gauge("flowline_db_pool_waiting", "Callers waiting for a connection from the pool now",
                use::waiting);
        meters.gauge("flowline_db_pool_max", "The most connections the pool opens",
                () -> FlowlineDataSource.MAX_POOL_SIZE);
    }
}
