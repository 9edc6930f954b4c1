package dev.flowline.platform.persistence;

import javax.sql.DataSource;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How the application uses its connection pool, counted where it takes and returns connections (a
 * {@link CountedDataSource} around the pool), the same way on every server: neither Payara Micro nor the application
 * can ask Payara's pool (no AMX), and WildFly's pool statistics are the server's own, at another name.
 * <ul>
 *   <li><b>in use</b>: connections handed out and not yet closed (returned);</li>
 *   <li><b>waiting</b>: callers inside the pool's {@code getConnection}, i.e. waiting for a free connection (or for a
 *       new one to be opened; a free one is handed out in microseconds, so a sample rarely catches that);</li>
 *   <li><b>idle</b>: pooled connections that are open and not in use, among those the application has been handed at
 *       least once. A connection is recognised by the physical connection behind the server's handle (WildFly's
 *       {@code WrappedConnection.getUnderlyingConnection()}, Payara's {@code ConnectionHolder.getConnection()});
 *       one the pool opened but never handed out (Payara opens the minimum at start) is not seen until it is. On a
 *       server whose handles offer neither, idle is unknown ({@code NaN}).</li>
 * </ul>
 * One per application ({@link #APPLICATION}): EclipseLink creates {@link PoolUseCustomizer} by its class name, outside
 * CDI, so the figures live where both it and {@link PoolMetrics} reach them.
 */
public final class PoolUse {

    /** This deployment's figures (a static of the application's class loader: one per deployment). */
    public static final PoolUse APPLICATION = new PoolUse();

    private static final List<String> HANDLE_ACCESSORS = List.of("getUnderlyingConnection", "getConnection");
    private static final ClassValue<Optional<Method>> PHYSICAL = new ClassValue<>() {
        @Override
        protected Optional<Method> computeValue(Class<?> handle) {
            for (String name : HANDLE_ACCESSORS) {
                try {
                    Method accessor = handle.getMethod(name);
                    if (Connection.class.isAssignableFrom(accessor.getReturnType())
                            && Modifier.isPublic(accessor.getDeclaringClass().getModifiers())) {
                        return Optional.of(accessor);
                    }
                } catch (NoSuchMethodException | SecurityException e) {
                    // try the next name
                }
            }
            return Optional.empty();
        }
    };

    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    /** The physical connections seen, weakly: one the pool has dropped and destroyed goes away with it. */
    private final Set<Connection> physical = Collections.newSetFromMap(new WeakHashMap<>());
    private volatile boolean physicalUnknown;

    PoolUse() {
    }

    /** {@code pool}, counted here (itself if it is already). */
    public DataSource watch(DataSource pool) {
        if (pool instanceof CountedDataSource counted && counted.counts(this)) {
            return pool;
        }
        return new CountedDataSource(pool, this);
    }

    public int inUse() {
        return inUse.get();
    }

    public int waiting() {
        return waiting.get();
    }

    /** Open pooled connections not in use (among those seen), or {@code NaN} when this server hides them. */
    public double idle() {
        if (physicalUnknown) {
            return Double.NaN;
        }
        List<Connection> seen;
        synchronized (physical) {
            seen = new ArrayList<>(physical);
        }
        long open = seen.stream().filter(PoolUse::open).count();
        return Math.max(0, open - inUse.get());
    }

    void waitingStarts() {
        waiting.incrementAndGet();
    }

    void waitingEnds() {
        waiting.decrementAndGet();
    }

    void handedOut(Connection handle) {
        inUse.incrementAndGet();
        Connection behind = physicalOf(handle);
        if (behind == null) {
            physicalUnknown = true;
        } else {
            synchronized (physical) {
                physical.add(behind);
            }
        }
    }

    void returned() {
        inUse.decrementAndGet();
    }

    private static Connection physicalOf(Connection handle) {
        Optional<Method> accessor = PHYSICAL.get(handle.getClass());
        if (accessor.isEmpty()) {
            return null;
        }
        try {
            Object behind = accessor.get().invoke(handle);
            return behind instanceof Connection connection && connection != handle ? connection : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** A local flag on a physical connection (PostgreSQL's driver asks no server for it). */
    private static boolean open(Connection connection) {
        try {
            return !connection.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }
}
