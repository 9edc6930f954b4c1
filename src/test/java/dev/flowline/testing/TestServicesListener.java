package dev.flowline.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Starts the services that integration tests need, once per test JVM: an embedded PostgreSQL with a
 * database {@value #DATABASE} and a GreenMail SMTP server on 127.0.0.1, and publishes their coordinates as
 * the system properties that {@code arquillian.xml} hands to the Payara Micro JVM.
 *
 * <p>Only when {@code flowline.test.embeddedServices=true} (set by failsafe), so unit tests under surefire start
 * nothing. Registered in {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public class TestServicesListener implements LauncherSessionListener {

    public static final String ENABLED_PROPERTY = "flowline.test.embeddedServices";
    private static final String DATABASE = "flowline_test";
    private static final String USER = "postgres";
    // initdb runs with "-A trust", so the password is not checked; it is non-empty because MicroProfile
    // Config treats an empty value as missing.
    private static final String PASSWORD = "postgres";

    private static EmbeddedPostgres postgres;
    private static GreenMail greenMail;
    private static DataSource dataSource;
    private static int openSessions;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (Boolean.getBoolean(ENABLED_PROPERTY)) {
            start();
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (Boolean.getBoolean(ENABLED_PROPERTY)) {
            stop();
        }
    }

    /** The SMTP server the application sends to; for client-side tests that check sent mail. */
    public static synchronized GreenMail greenMail() {
        return requireStarted(greenMail);
    }

    /** The test database, for client-side tests that read or prepare rows directly. */
    public static synchronized DataSource dataSource() {
        return requireStarted(dataSource);
    }

    // Counted because a launcher may open more than one session in a JVM (IDEs do): start on the first,
    // stop on the last.
    private static synchronized void start() {
        if (openSessions++ > 0) {
            return;
        }
        try {
            // Default builder: random free port, data in a fresh temporary directory deleted on close.
            postgres = EmbeddedPostgres.builder().start();
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
            dataSource = postgres.getDatabase(USER, DATABASE);

            // Port 0 lets the OS pick a free port; GreenMail reports the bound one after start.
            greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            greenMail.start();
        } catch (IOException | SQLException | RuntimeException e) {
            stopServices();
            openSessions = 0;
            throw new IllegalStateException("Could not start the test services", e);
        }

        // Arquillian substitutes these into arquillian.xml as raw text before parsing it: the URL must not
        // contain '&' (it would break the XML), so anything beyond the database goes in separate keys.
        System.setProperty("flowline.test.db.url", "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE);
        System.setProperty("flowline.test.db.user", USER);
        System.setProperty("flowline.test.db.password", PASSWORD);
        System.setProperty("flowline.test.smtp.port", Integer.toString(greenMail.getSmtp().getPort()));
    }

    private static synchronized void stop() {
        if (openSessions == 0 || --openSessions > 0) {
            return;
        }
        stopServices();
    }

    private static void stopServices() {
        if (greenMail != null) {
            greenMail.stop();
            greenMail = null;
        }
        dataSource = null;
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("Could not stop the embedded PostgreSQL: " + e);
            }
            postgres = null;
        }
    }

    /**
     * The embedded server's maintenance database as its superuser: for a test that administers the test database
     * itself (refuses its connections, ends its sessions) from outside it.
     */
    public static synchronized DataSource maintenanceDataSource() {
        return requireStarted(postgres).getPostgresDatabase();
    }

    /** The test database's name, for statements about it run from {@link #maintenanceDataSource()}. */
    public static String databaseName() {
        return DATABASE;
    }

    private static <T> T requireStarted(T service) {
        if (service == null) {
            throw new IllegalStateException("Test services are not running: they start only in integration"
                    + " tests run by failsafe (-D" + ENABLED_PROPERTY + "=true)");
        }
        return service;
    }
}
