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
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.logging.Logger;

/**
 * Applies the Liquibase changelogs (the top-level {@code liquibase/} folder, packaged into the WAR) before the
 * application serves. Liquibase's lock table keeps concurrent instances from migrating twice. A failure fails the
 * deployment: serving on an unknown schema would be worse.
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
    @SuppressWarnings("deprecation") // Liquibase#update stays the simplest embedded entry point in 4.x
    void migrate() {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            try (Liquibase liquibase = new Liquibase(CHANGELOG,
                    new ClassLoaderResourceAccessor(LiquibaseMigrator.class.getClassLoader()), database)) {
                liquibase.update(new Contexts(), new LabelExpression());
            }
        } catch (Exception e) {
            throw new IllegalStateException("Database migration failed: " + e.getMessage(), e);
        }
        migrated = true;
        LOG.info(() -> "Database schema is up to date (" + (System.nanoTime() - started) / 1_000_000 + " ms)");
    }

    /** Whether this instance brought the schema up to date (for readiness). */
    @Lock(LockType.READ)
    public boolean migrated() {
        return migrated;
    }
}
