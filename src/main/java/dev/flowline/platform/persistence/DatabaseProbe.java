package dev.flowline.platform.persistence;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Whether the database answers, for the readiness check, and which database the pool reaches, for the start-up
 * summary (on WildFly the pool is the server's: what MicroProfile Config says need not be what it uses). An EJB so that every call runs in the application's
 * naming context: WildFly calls health checks on a management thread that has none, where a resource injected into a
 * plain CDI bean on first use cannot be found.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DatabaseProbe {

    @Resource(lookup = FlowlineDataSource.JNDI_NAME)
    DataSource dataSource;

    /** The JDBC URL and user of a pooled connection, as the driver reports them. */
    public String reached() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getURL() + " as " + connection.getMetaData().getUserName();
        }
    }

    /** True when a connection is valid within {@code timeoutSeconds}; a failure to connect is thrown. */
    public boolean answers(int timeoutSeconds) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(timeoutSeconds);
        }
    }
}
