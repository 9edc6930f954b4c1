package dev.flowline.platform.persistence;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deregisters, when the application stops, the JDBC drivers that the WAR's own class loader registered (the
 * PostgreSQL driver packaged in {@code WEB-INF/lib} registers itself with {@link DriverManager} when the datasource
 * first loads it). {@code DriverManager} lives in the JDK: a driver left there keeps the undeployed application's
 * class loader, and every class it loaded, alive until the server restarts.
 */
@WebListener
public class JdbcDriverRelease implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(JdbcDriverRelease.class.getName());

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        ClassLoader ours = JdbcDriverRelease.class.getClassLoader();
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() != ours) {
                continue; // a server-wide driver in the server's lib folder belongs to the server
            }
            try {
                DriverManager.deregisterDriver(driver);
                LOG.fine(() -> "Deregistered the JDBC driver " + driver.getClass().getName());
            } catch (SQLException | SecurityException e) {
                LOG.log(Level.WARNING, "Could not deregister the JDBC driver " + driver.getClass().getName(), e);
            }
        }
    }
}
