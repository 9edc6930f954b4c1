package dev.flowline.devserver;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Developer server behind {@code mvn -Pserve package}: runs the built WAR on Payara Micro at
 * http://localhost:8080, on an embedded PostgreSQL whose data is kept across restarts unless
 * {@code FLOWLINE_DB_URL} points at a database of your own.
 *
 * <p>Environment: {@code FLOWLINE_DB_URL}, {@code FLOWLINE_DB_USER}, {@code FLOWLINE_DB_PASSWORD} (use that
 * database, start none); {@code FLOWLINE_DEV_DATA_DIR} (default {@code ~/.flowline/dev-postgres});
 * {@code FLOWLINE_DEV_DB_PORT} (default 5433); {@code FLOWLINE_PORT} (HTTP port, default 8080).
 * Ctrl-C stops Payara, then PostgreSQL.
 */
public final class DevServer {

    private static final String DATABASE = "flowline";
    // initdb runs with "-A trust": the password is never checked, but MicroProfile Config treats an empty
    // value as missing, so the application gets a non-empty one.
    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";
    // Straight to file descriptor 1: under Maven, System.out goes through Jansi, which is not thread-safe and
    // threw in our shutdown hook while Maven wrote to it on Ctrl-C, leaving PostgreSQL running.
    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true);

    private DevServer() {
    }

    public static void main(String[] args) throws Exception {
        Path war = existingFile("flowline.devserver.war");
        Path payaraMicroJar = existingFile("flowline.devserver.payaraMicroJar");
        Map<String, String> env = System.getenv();

        EmbeddedPostgres postgres = null;
        String dbUrl = env.get("FLOWLINE_DB_URL");
        String dbUser = env.get("FLOWLINE_DB_USER");
        String dbPassword = env.get("FLOWLINE_DB_PASSWORD");
        if (dbUrl == null || dbUrl.isBlank()) {
            int port = Integer.parseInt(env.getOrDefault("FLOWLINE_DEV_DB_PORT", "5433"));
            Path dataDir = Paths.get(env.getOrDefault("FLOWLINE_DEV_DATA_DIR",
                    Paths.get(System.getProperty("user.home"), ".flowline", "dev-postgres").toString()))
                    .toAbsolutePath();
            postgres = startPostgres(port, dataDir);
            dbUrl = "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
            dbUser = USER;
            dbPassword = PASSWORD;
        } else {
            log("Using the database at " + dbUrl + " (FLOWLINE_DB_URL); no embedded PostgreSQL started");
        }

        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", payaraMicroJar.toString(),
                "--deploy", war.toString(), "--contextroot", "/",
                "--prebootcommandfile", Paths.get("server-config", "payara-micro-preboot.asadmin").toAbsolutePath().toString(),
                "--port", env.getOrDefault("FLOWLINE_PORT", "8080"), "--nocluster").inheritIO();
        // The rest of our environment passes through; MicroProfile Config maps FLOWLINE_DB_URL to flowline.db.url.
        builder.environment().put("FLOWLINE_DB_URL", dbUrl);
        putIfNotNull(builder.environment(), "FLOWLINE_DB_USER", dbUser);
        putIfNotNull(builder.environment(), "FLOWLINE_DB_PASSWORD", dbPassword);
        // A developer machine: a derived encryption key and emails in the log are allowed (never in production,
        // where the server refuses to start without real keys and a way to send email). FLOWLINE_DEVELOPMENT=false
        // tries the production checks locally.
        builder.environment().putIfAbsent("FLOWLINE_DEVELOPMENT", "true");

        Process payara;
        try {
            payara = builder.start();
        } catch (IOException e) {
            close(postgres);
            throw e;
        }
        EmbeddedPostgres startedPostgres = postgres;
        AtomicBoolean shuttingDown = new AtomicBoolean();
        // Runs on Ctrl-C and on System.exit below: Payara first, so that it never outlives its database.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shuttingDown.set(true);
            try {
                stop(payara);
            } finally {
                close(startedPostgres);
            }
        }, "flowline-devserver-shutdown"));

        int exitCode = payara.waitFor();
        if (!shuttingDown.get()) {
            log("Payara Micro exited by itself with code " + exitCode);
        }
        System.exit(exitCode);
    }

    private static EmbeddedPostgres startPostgres(int port, Path dataDir) throws IOException, SQLException {
        // Without this check a server already on the port (say, from a dev server killed with SIGKILL)
        // would answer zonky's readiness probe and we would silently use it.
        if (listening(port)) {
            throw new IllegalStateException("Port " + port + " is already in use (an earlier dev server's"
                    + " PostgreSQL still running?). Stop it, or set FLOWLINE_DEV_DB_PORT.");
        }
        if (!Files.exists(dataDir.resolve("postgresql.conf"))) {
            log("Creating a new PostgreSQL cluster in " + dataDir);
        }
        Files.createDirectories(dataDir);
        // setCleanDataDirectory(false): zonky then runs initdb only when postgresql.conf is missing, and does
        // not delete the directory on close. We register our own shutdown hook to order the stops ourselves.
        // zonky starts PostgreSQL for throwaway test clusters: -F (fsync off) and synchronous_commit=off. This
        // cluster keeps someone's workflows: a crash or power loss must not corrupt or lose it, so it runs with
        // PostgreSQL's durable defaults (a later -c wins over -F).
        long starting = System.nanoTime();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setRegisterShutdownHook(false)
                .start();
        long startMillis = (System.nanoTime() - starting) / 1_000_000;
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            int major = c.getMetaData().getDatabaseMajorVersion();
            String durability = durability(c);
            createDatabaseIfMissing(c);
            log("Embedded PostgreSQL " + major + " at jdbc:postgresql://localhost:" + port + "/" + DATABASE
                    + ", data in " + dataDir + " (kept across restarts; " + durability + "; started in "
                    + startMillis + " ms)");
            log("psql -h localhost -p " + port + " -U " + USER + " " + DATABASE
                    + "   (back it up: README, \"The developer database\")");
        } catch (SQLException | RuntimeException e) {
            close(postgres);
            throw e;
        }
        return postgres;
    }

    /** The settings that make commits durable, as the server reports them; refuses a cluster running without. */
    private static String durability(Connection c) throws SQLException {
        try (Statement query = c.createStatement();
             ResultSet settings = query.executeQuery("SELECT current_setting('fsync'),"
                     + " current_setting('synchronous_commit'), current_setting('full_page_writes')")) {
            settings.next();
            String described = "fsync=" + settings.getString(1) + ", synchronous_commit=" + settings.getString(2)
                    + ", full_page_writes=" + settings.getString(3);
            if (!"on".equals(settings.getString(1)) || !"on".equals(settings.getString(2))
                    || !"on".equals(settings.getString(3))) {
                throw new IllegalStateException("The developer database is not durable (" + described + ")");
            }
            return described;
        }
    }

    private static void createDatabaseIfMissing(Connection c) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, DATABASE);
            if (query.executeQuery().next()) {
                return;
            }
        }
        try (Statement create = c.createStatement()) {
            create.execute("CREATE DATABASE " + DATABASE);
        }
    }

    private static void stop(Process payara) {
        if (!payara.isAlive()) {
            return;
        }
        log("Stopping Payara Micro");
        payara.destroy(); // SIGTERM: Payara runs its own shutdown
        try {
            if (!payara.waitFor(20, TimeUnit.SECONDS)) {
                log("Payara Micro did not stop within 20 s; killing it");
                payara.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            payara.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void close(EmbeddedPostgres postgres) {
        if (postgres == null) {
            return;
        }
        log("Stopping embedded PostgreSQL");
        try {
            postgres.close(); // pg_ctl stop -m fast; keeps the data directory
        } catch (IOException e) {
            log("Could not stop PostgreSQL: " + e);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path existingFile(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.isRegularFile(Paths.get(value))) {
            throw new IllegalStateException("System property " + property + " must name an existing file, was: "
                    + value + " (run with `mvn -Pserve package`)");
        }
        return Paths.get(value).toAbsolutePath();
    }

    private static void putIfNotNull(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }

    private static void log(String message) {
        OUT.println("[devserver] " + message);
    }
}
