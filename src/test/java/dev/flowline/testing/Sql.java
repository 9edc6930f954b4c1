package dev.flowline.testing;

import dev.flowline.platform.persistence.FlowlineDataSource;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct SQL on the test database, for tests that arrange or read rows no API shows: from the test JVM through
 * {@link TestServicesListener#dataSource()}, inside the container through the application's data source.
 * Parameters are bound with {@link PreparedStatement#setObject}, each statement in its own connection (autocommit).
 */
public final class Sql {

    private Sql() {
    }

    /** Runs an INSERT, UPDATE or DELETE; answers the number of rows it changed. */
    public static int update(String statement, Object... parameters) throws SQLException {
        try (Connection connection = database().getConnection();
             PreparedStatement prepared = prepare(connection, statement, parameters)) {
            return prepared.executeUpdate();
        }
    }

    /** The first column of every row the query answers, as text, in the query's order. */
    public static List<String> column(String query, Object... parameters) throws SQLException {
        try (Connection connection = database().getConnection();
             PreparedStatement prepared = prepare(connection, query, parameters);
             ResultSet result = prepared.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (result.next()) {
                values.add(result.getString(1));
            }
            return values;
        }
    }

    /** The columns of the query's first row, as the driver gives them; fails if there is no row. */
    public static List<Object> row(String query, Object... parameters) throws SQLException {
        try (Connection connection = database().getConnection();
             PreparedStatement prepared = prepare(connection, query, parameters);
             ResultSet result = prepared.executeQuery()) {
            if (!result.next()) {
                throw new AssertionError("no row for " + query);
            }
            List<Object> values = new ArrayList<>();
            for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                values.add(result.getObject(i));
            }
            return values;
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement prepared = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            prepared.setObject(i + 1, parameters[i]);
        }
        return prepared;
    }

    // Failsafe sets the property in the test JVM only: the container's JVM must not touch TestServicesListener
    // (it is not in the archive, nor are the embedded services it starts).
    private static DataSource database() {
        if (Boolean.getBoolean(TestServicesListener.ENABLED_PROPERTY)) {
            return TestServicesListener.dataSource();
        }
        try {
            return (DataSource) new InitialContext().lookup(FlowlineDataSource.JNDI_NAME);
        } catch (NamingException e) {
            throw new IllegalStateException("Neither the test services nor the application's data source are here", e);
        }
    }
}
