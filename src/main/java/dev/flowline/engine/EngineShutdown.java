package dev.flowline.engine;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Stops the engine's background jobs as the application begins to stop, before the container takes its EJBs and the
 * connection pool away. Payara Server stops the web module (this listener) first, then the stateless beans and the
 * pool, and only then calls the singletons' {@code @PreDestroy}: a tick running in between failed on a half-removed
 * application (SEVERE "Exception creating stateless session bean" on undeploy). The {@code @PreDestroy} methods stay
 * as they were (stopping twice does nothing more), for containers that stop in another order.
 */
@WebListener
public class EngineShutdown implements ServletContextListener {

    @Inject
    Dispatcher dispatcher;

    @Inject
    Scheduler scheduler;

    @Inject
    RetentionJob retention;

    @Inject
    RefusalTallyJob refusalTally;

    @Inject
    ConnectionsJob connections;

    @Inject
    OverageReportJob overage;

    @Inject
    ErrorRunJob errorRuns;

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        scheduler.stop();
        retention.stop();
        refusalTally.stop();
        connections.stop();
        overage.stop();
        errorRuns.stop();
        dispatcher.stop(); // last: waits for running steps and gives the rest back to the queue
    }
}
