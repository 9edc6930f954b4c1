package dev.flowline.platform.persistence;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;

/**
 * The one datasource, under the fixed name {@value #JNDI_NAME} that persistence.xml, the migrator and the readiness
 * check use. On Payara it is this pool.
 * Connection settings come from MicroProfile Config ({@code flowline.db.url|user|password}, or the environment
 * variables {@code FLOWLINE_DB_URL|USER|PASSWORD}); the {@code ${MPCONFIG=...}} substitution is Payara's.
 * {@code stringType=unspecified} lets PostgreSQL infer jsonb/uuid parameter types from plain strings.
 * <p>
 * On WildFly, WEB-INF/jboss-web.xml declares {@value #JNDI_NAME} a resource reference to the server's datasource
 * ({@code server-config/wildfly/configure.cli}, connection settings from the server's configuration), which takes
 * the place of this definition: one pool either way. Both validate connections before handing them out (Payara:
 * the {@code fish.payara.*} properties below; WildFly: {@code validate-on-match} in configure.cli) and bound the wait
 * for a free connection to 5 s (WildFly: {@code blocking-timeout-wait-millis}).
 */
@DataSourceDefinition(
        name = FlowlineDataSource.JNDI_NAME,
        className = "org.postgresql.ds.PGSimpleDataSource",
        url = "${MPCONFIG=flowline.db.url}",
        user = "${MPCONFIG=flowline.db.user}",
        password = "${MPCONFIG=flowline.db.password}",
        minPoolSize = 2,
        maxPoolSize = FlowlineDataSource.MAX_POOL_SIZE,
        properties = {"stringType=unspecified", "ApplicationName=flowline",
                // Payara's pool: validate a connection when it is handed out (at most once a second per connection:
                // not a round trip per transaction under load) and, when one fails, drop every idle one, so that the
                // connections a database restart killed are replaced, not handed to a request
                "fish.payara.is-connection-validation-required=true",
                "fish.payara.connection-validation-method=custom-validation",
                "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.PostgresConnectionValidation",
                "fish.payara.validate-atmost-once-period-in-seconds=1",
                "fish.payara.fail-all-connections=true",
                // a caller waits at most 5 s for a free connection (Payara's default is 60 s), then gets the pool's
                // error, answered 503 with Retry-After: no request thread hangs on an exhausted pool
                "fish.payara.max-wait-time-in-millis=5000"})
@Singleton
public class FlowlineDataSource {

    public static final String JNDI_NAME = "java:app/jdbc/flowline";
    /** The pool's maximum, also the WildFly pool's (configure.cli: max-pool-size) and flowline_db_pool_max. */
    public static final int MAX_POOL_SIZE = 32;
}
