package dev.flowline.platform.persistence;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Applies the Liquibase changelogs (the top-level {@code liquibase/} folder, packaged into the WAR) before the
 * application serves. Liquibase's lock table keeps concurrent instances from migrating twice. A failure fails the
 * deployment: serving on an unknown schema would be worse.
 *
 * <p>Liquibase runs on a thread of its own that ends with the migration. Its {@code Scope} keeps a scope manager in
 * an {@code InheritableThreadLocal} that it never removes: run on the deployment thread, the entry stayed on that
 * pooled server thread and was copied into every thread the deployment went on to create, pinning the application's
 * class loader after undeploy (Payara logged SEVERE "ThreadLocal with key of type liquibase.Scope$1 ... not removed"
 * for each). Liquibase's usage analytics are switched off: they would fetch a remote configuration at every start
 * and register a JVM shutdown hook that outlives the application.
 */
@Startup
@Singleton
@TransactionManagement(TransactionManagementType.BEAN)
public class LiquibaseMigrator {

    public static final String CHANGELOG = "liquibase/db.changelog-master.xml";
    private static final Logger LOG = Logger.getLogger(LiquibaseMigrator.class.getName());

    @Resource(lookup = FlowlineDataSource.JNDI_NAME)
    DataSource dataSource;

    private volatile boolean migrated;

    @PostConstruct
    void migrate() {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            onOwnThread(() -> update(connection));
        } catch (Exception e) {
            throw new IllegalStateException("Database migration failed: " + e.getMessage(), e);
        }
        migrated = true;
        LOG.info(() -> "Database schema is up to date (" + (System.nanoTime() - started) / 1_000_000 + " ms)");
    }

    @SuppressWarnings("deprecation") // Liquibase#update stays the simplest embedded entry point in 4.x
    private static void update(Connection connection) throws Exception {
        Database database = DatabaseFactory.getInstance()
                .findCorrectDatabaseImplementation(new JdbcConnection(connection));
        Scope.child(Map.of(AnalyticsArgs.ENABLED.getKey(), false), () -> {
            try (Liquibase liquibase = new Liquibase(CHANGELOG,
                    new ClassLoaderResourceAccessor(LiquibaseMigrator.class.getClassLoader()), database)) {
                liquibase.update(new Contexts(), new LabelExpression());
            }
        });
    }

    /** Runs {@code work} on a new thread and waits for it, so that thread-locals it leaves behind die with it. */
    private static void onOwnThread(Work work) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (Exception e) {
                failure.set(e);
            } catch (Error e) {
                failure.set(new IllegalStateException(e.toString(), e));
            }
        }, "flowline-liquibase");
        thread.setContextClassLoader(LiquibaseMigrator.class.getClassLoader());
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    /** Whether this instance brought the schema up to date (for readiness). */
    @Lock(LockType.READ)
    public boolean migrated() {
        return migrated;
    }
}
