package dev.flowline.platform.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Whether this instance believes the database is reachable: the gate that API calls, webhook deliveries and the
 * background jobs look at before they touch the pool.
 * <p>
 * The first {@linkplain ConnectionFailure#unreachable connection failure} anyone reports closes the gate (one WARNING
 * line, no stack trace). While it is closed, calls answer 503 with {@code Retry-After} at once and the jobs skip their
 * ticks, so nothing waits on the pool and the log is not filled with one stack trace per request and per poll;
 * {@link #available()} probes the database at most once every {@value #PROBE_INTERVAL_MILLIS} ms (one caller at a
 * time, the others are answered "no" without waiting): first a TCP connection to the server's address (silent while
 * the port is closed), then a pooled connection. The first probe that succeeds opens the gate (one INFO line with how
 * long it was closed). A wrong "closed" costs at most a second of 503s; a wrong "open" is what happened before this
 * class: the next call fails and closes it.
 */
@ApplicationScoped
public class DatabaseAvailability {

    /** Seconds a client is told to wait before it tries again (the Retry-After of a 503). */
    public static final int RETRY_AFTER_SECONDS = 5;
    static final long PROBE_INTERVAL_MILLIS = 1_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final int VALID_TIMEOUT_SECONDS = 2;
    private static final Logger LOG = Logger.getLogger(DatabaseAvailability.class.getName());

    @Inject
    DatabaseProbe probe;

    /** Nanos (System.nanoTime) since the gate closed; 0 while it is open. */
    private volatile long closedSince;
    private volatile long lastProbe;
    private final AtomicBoolean probing = new AtomicBoolean();
    /** Where the server listens, from the pool's URL at start-up; empty when it could not be read (no TCP check). */
    volatile List<InetSocketAddress> addresses = List.of();

    void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
        try {
            addresses = JdbcAddresses.of(probe.reached());
        } catch (Exception e) {
            LOG.fine(() -> "No database address for the TCP check: " + e);
        }
    }

    /** Open: no connection failure seen since the last successful probe. Never touches the database. */
    public boolean open() {
        return closedSince == 0;
    }

    /**
     * True when the gate is open; else probes the database if no probe ran in the last second and none runs now, and
     * opens the gate when it answers.
     */
    public boolean available() {
        if (open()) {
            return true;
        }
        long now = System.nanoTime();
        if (now - lastProbe < PROBE_INTERVAL_MILLIS * 1_000_000L || !probing.compareAndSet(false, true)) {
            return false;
        }
        try {
            lastProbe = now;
            if (listening() && answers()) {
                reopen();
                return true;
            }
            return false;
        } finally {
            probing.set(false);
        }
    }

    /**
     * Reports a failure seen by a caller: a {@linkplain ConnectionFailure#unreachable connection failure} closes the
     * gate (logged once per outage); anything else is ignored. True when the failure was a connection failure.
     */
    public boolean failed(Throwable failure) {
        if (!ConnectionFailure.unreachable(failure)) {
            return false;
        }
        long now = System.nanoTime();
        synchronized (this) {
            if (closedSince != 0) {
                return true;
            }
            closedSince = now == 0 ? 1 : now;
            lastProbe = now;
        }
        LOG.warning(() -> "The database is unreachable (" + ConnectionFailure.describe(failure) + "). Until it answers"
                + " again API calls and webhook deliveries are answered 503 with Retry-After: " + RETRY_AFTER_SECONDS
                + ", background jobs pause, /health/ready is DOWN; probing every " + PROBE_INTERVAL_MILLIS + " ms.");
        return true;
    }

    /** How long the gate has been closed (zero while open). */
    public Duration closedFor() {
        long since = closedSince;
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    private void reopen() {
        Duration down;
        synchronized (this) {
            if (closedSince == 0) {
                return;
            }
            down = Duration.ofNanos(System.nanoTime() - closedSince);
            closedSince = 0;
        }
        LOG.info(() -> "The database answers again after " + down.toMillis() / 100 / 10.0 + " s unreachable;"
                + " serving and background jobs resume.");
    }

    /** A TCP connection to one of the server's addresses succeeds (true when they are unknown). */
    private boolean listening() {
        List<InetSocketAddress> known = addresses;
        if (known.isEmpty()) {
            return true;
        }
        for (InetSocketAddress address : known) {
            try (Socket socket = new Socket()) {
                socket.connect(address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort())
                        : address, CONNECT_TIMEOUT_MILLIS);
                return true;
            } catch (IOException | IllegalArgumentException e) {
                // the next address, if any
            }
        }
        return false;
    }

    private boolean answers() {
        try {
            return probe.answers(VALID_TIMEOUT_SECONDS);
        } catch (Exception e) {
            return false;
        }
    }
}
