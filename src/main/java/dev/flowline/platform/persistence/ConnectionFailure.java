package dev.flowline.platform.persistence;

import jakarta.resource.ResourceException;

import javax.transaction.xa.XAException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Whether a failure means the database could not be reached (as opposed to a statement it refused): anywhere in the
 * cause chain (EJB, JTA, JPA and EclipseLink wrappers all keep their cause), or among an SQLException's next
 * exceptions:
 * <ul>
 *   <li>an SQLException of SQLState class {@code 08} (connection exception: refused, broken, closed), or
 *       {@code 57P01}-{@code 57P03} (the server was shut down under the connection, crashed, or is starting up or
 *       shutting down and takes no connection);</li>
 *   <li>{@link SQLTransientConnectionException} and {@link SQLNonTransientConnectionException} (JDBC's class 08);</li>
 *   <li>a connector {@link ResourceException}: the pool could not get a connection (Payara's "Error in allocating a
 *       connection", an allocation that timed out);</li>
 *   <li>an {@link XAException} XAER_RMERR or XAER_RMFAIL: a commit or rollback the connection failed under (the
 *       outcome is rolled back or unknown: the client is told to try again, which idempotent calls allow);</li>
 *   <li>an SQLException under such a ResourceException: the server refused to open a connection, whatever it said
 *       ({@code 55000} "database is not currently accepting connections", {@code 53300} too many connections, an
 *       authentication failure): the application cannot reach its data either way.</li>
 * </ul>
 * Anything else (a constraint, a serialization failure, a syntax error) is not an outage and is handled as before.
 * {@link #unreachable} is the narrower test, without a ResourceException alone: a pool that is only exhausted (every
 * connection busy, nothing from the driver below) is not a database that went away.
 */
public final class ConnectionFailure {

    /** Causes followed at most: a chain longer than this is cut, not walked forever. */
    private static final int MAX_DEPTH = 64;

    private ConnectionFailure() {
    }

    /** True when {@code failure} or one of its causes says the database could not be reached. */
    public static boolean in(Throwable failure) {
        return find(failure) != null;
    }

    /**
     * True when the database itself said so (an SQLState or JDBC connection exception in the chain), not only the
     * pool: then the outage is declared ({@link DatabaseAvailability#failed}).
     */
    public static boolean unreachable(Throwable failure) {
        return walk(failure, false) != null;
    }

    /** The first cause that says so (for a log line: its class and SQLState), or null. */
    public static Throwable find(Throwable failure) {
        return walk(failure, true);
    }

    private static Throwable walk(Throwable failure, boolean poolToo) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = failure;
        boolean underPool = false;
        while (current != null && seen.size() < MAX_DEPTH && seen.add(current)) {
            if (isConnectionFailure(current, poolToo) || underPool && current instanceof SQLException) {
                return current;
            }
            if (current instanceof SQLException sql) {
                for (SQLException next = sql.getNextException(); next != null && seen.size() < MAX_DEPTH
                        && seen.add(next); next = next.getNextException()) {
                    if (isConnectionFailure(next, poolToo)) {
                        return next;
                    }
                }
            }
            // the driver's error under the pool's: the server refused a new connection (not accepting connections,
            // too many, shutting down, authentication), whatever its SQLState
            underPool |= current instanceof ResourceException;
            current = current.getCause();
        }
        return null;
    }

    private static boolean isConnectionFailure(Throwable failure, boolean poolToo) {
        if (failure instanceof SQLTransientConnectionException || failure instanceof SQLNonTransientConnectionException
                || poolToo && failure instanceof ResourceException) {
            return true;
        }
        if (poolToo && failure instanceof XAException xa) {
            // the transaction manager's word for a commit or rollback its connection failed (Payara keeps only the
            // message of the connection's exception, not the exception)
            return xa.errorCode == XAException.XAER_RMERR || xa.errorCode == XAException.XAER_RMFAIL;
        }
        return failure instanceof SQLException sql && isConnectionState(sql.getSQLState());
    }

    /** SQLState class 08, or 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now). */
    static boolean isConnectionState(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }

    /**
     * "PSQLException (SQLState 08001): Connection to db:5432 refused...": the failure that says so, for one log line
     * (a connection failure's message names the server, never data or a password); cut at 240 characters.
     */
    public static String describe(Throwable failure) {
        Throwable cause = walk(failure, false); // the driver's word first, else the pool's
        if (cause == null) {
            cause = find(failure);
        }
        Throwable shown = cause == null ? failure : cause;
        String state = shown instanceof SQLException sql && sql.getSQLState() != null
                ? " (SQLState " + sql.getSQLState() + ")" : "";
        String message = shown.getMessage() == null ? "" : ": " + shown.getMessage().strip().replaceAll("\\s+", " ");
        String line = shown.getClass().getSimpleName() + state + message;
        return line.length() <= 240 ? line : line.substring(0, 239) + "…";
    }
}
