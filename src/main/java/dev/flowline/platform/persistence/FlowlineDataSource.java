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
 * the place of this definition: one pool either way.
 */
@DataSourceDefinition(
        name = FlowlineDataSource.JNDI_NAME,
        className = "org.postgresql.ds.PGSimpleDataSource",
        url = "${MPCONFIG=flowline.db.url}",
        user = "${MPCONFIG=flowline.db.user}",
        password = "${MPCONFIG=flowline.db.password}",
        minPoolSize = 2,
        maxPoolSize = 32,
        properties = {"stringType=unspecified", "ApplicationName=flowline"})
@Singleton
public class FlowlineDataSource {

    public static final String JNDI_NAME = "java:app/jdbc/flowline";
}
