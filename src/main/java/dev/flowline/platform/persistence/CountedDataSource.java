package dev.flowline.platform.persistence;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The pool as the application uses it, counted in a {@link PoolUse}: a caller inside {@code getConnection} is
 * waiting; the connection it gets is in use until its first {@code close} (or {@code abort}). Everything else goes
 * to the pool's own connection unchanged.
 */
final class CountedDataSource implements DataSource {

    private final DataSource pool;
    private final PoolUse use;

    CountedDataSource(DataSource pool, PoolUse use) {
        this.pool = pool;
        this.use = use;
    }

    boolean counts(PoolUse figures) {
        return use == figures;
    }

    @Override
    public Connection getConnection() throws SQLException {
        use.waitingStarts();
        Connection handle;
        try {
            handle = pool.getConnection();
        } finally {
            use.waitingEnds();
        }
        return counted(handle);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        use.waitingStarts();
        Connection handle;
        try {
            handle = pool.getConnection(username, password);
        } finally {
            use.waitingEnds();
        }
        return counted(handle);
    }

    private Connection counted(Connection handle) {
        use.handedOut(handle);
        return (Connection) Proxy.newProxyInstance(CountedDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new Returned(handle, use));
    }

    /** Counts the handle's return once, however often it is closed. */
    private record Returned(Connection handle, PoolUse use, AtomicBoolean done) implements InvocationHandler {

        Returned(Connection handle, PoolUse use) {
            this(handle, use, new AtomicBoolean());
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "equals":
                    if (method.getParameterCount() == 1) {
                        return proxy == args[0];
                    }
                    break;
                case "hashCode":
                    if (method.getParameterCount() == 0) {
                        return System.identityHashCode(proxy);
                    }
                    break;
                case "close", "abort":
                    try {
                        return call(method, args);
                    } finally {
                        if (done.compareAndSet(false, true)) {
                            use.returned();
                        }
                    }
                default:
                    break;
            }
            return call(method, args);
        }

        private Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(handle, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }
}
