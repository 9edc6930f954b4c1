package dev.flowline.platform.persistence;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolUseTest {

    /** A server's connection handle, as WildFly's WrappedConnection offers its physical connection. */
    public interface Handle extends Connection {
        Connection getUnderlyingConnection();
    }

    /** A pool of {@code size} physical connections: a handle per getConnection, blocking while all are out. */
    static final class FakePool {
        final Deque<Connection> free = new ArrayDeque<>();
        volatile boolean refuse;

        FakePool(int size) {
            for (int i = 0; i < size; i++) {
                free.add(physical());
            }
        }

        DataSource dataSource() {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getConnection" -> take();
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        synchronized Connection take() throws SQLException, InterruptedException {
            if (refuse) {
                throw new SQLTransientConnectionException("pool exhausted");
            }
            while (free.isEmpty()) {
                wait();
            }
            Connection behind = free.pop();
            AtomicBoolean closed = new AtomicBoolean();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Handle.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getUnderlyingConnection" -> behind;
                        case "close" -> {
                            if (closed.compareAndSet(false, true)) {
                                giveBack(behind);
                            }
                            yield null;
                        }
                        case "isClosed" -> closed.get();
                        case "getAutoCommit" -> true;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        synchronized void giveBack(Connection behind) {
            free.push(behind);
            notifyAll();
        }

        /** The pool drops a physical connection (idle timeout, failed validation). */
        synchronized void destroyOne() throws SQLException {
            free.pop().close();
        }

        static Connection physical() {
            AtomicBoolean closed = new AtomicBoolean();
            return (Connection) Proxy.newProxyInstance(PoolUseTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "close" -> {
                            closed.set(true);
                            yield null;
                        }
                        case "isClosed" -> closed.get();
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    private final PoolUse use = new PoolUse();
    private final FakePool pool = new FakePool(3);
    private final DataSource counted = use.watch(pool.dataSource());

    @Test
    void aConnectionIsInUseFromGetConnectionToItsFirstCloseAndIdleAfter() throws SQLException {
        Connection first = counted.getConnection();
        Connection second = counted.getConnection();

        assertThat(use.inUse()).isEqualTo(2);
        assertThat(use.idle()).isZero();
        assertThat(first.getAutoCommit()).as("calls reach the pool's connection").isTrue();

        first.close();
        first.close();

        assertThat(use.inUse()).as("closed twice, returned once").isEqualTo(1);
        assertThat(use.idle()).isEqualTo(1);
        second.close();
        assertThat(use.inUse()).isZero();
        assertThat(use.idle()).isEqualTo(2);
        assertThat(use.waiting()).isZero();
    }

    @Test
    void idleCountsEachPhysicalConnectionOnceAndNotAfterThePoolClosedIt() throws SQLException {
        for (int i = 0; i < 5; i++) {
            counted.getConnection().close();
        }
        assertThat(use.idle()).as("the same physical connection, handed out five times").isEqualTo(1);

        pool.destroyOne();

        assertThat(use.idle()).isZero();
    }

    @Test
    void callersBlockedOnAnExhaustedPoolAreWaitingUntilTheyGetOne() throws Exception {
        Connection[] all = {counted.getConnection(), counted.getConnection(), counted.getConnection()};
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch asking = new CountDownLatch(2);
            Future<Connection> a = callers.submit(() -> {
                asking.countDown();
                return counted.getConnection();
            });
            Future<Connection> b = callers.submit(() -> {
                asking.countDown();
                return counted.getConnection();
            });
            asking.await(5, TimeUnit.SECONDS);
            waitFor(() -> use.waiting() == 2);

            assertThat(use.waiting()).isEqualTo(2);
            assertThat(use.inUse()).isEqualTo(3);

            all[0].close();
            all[1].close();
            a.get(5, TimeUnit.SECONDS).close();
            b.get(5, TimeUnit.SECONDS).close();
        } finally {
            callers.shutdownNow();
        }
        all[2].close();
        assertThat(use.waiting()).isZero();
        assertThat(use.inUse()).isZero();
    }

    @Test
    void aRefusedGetConnectionIsNeitherInUseNorWaiting() {
        pool.refuse = true;

        assertThatThrownBy(counted::getConnection).isInstanceOf(SQLTransientConnectionException.class);

        assertThat(use.inUse()).isZero();
        assertThat(use.waiting()).isZero();
    }

    @Test
    void watchingTwiceCountsOnce() throws SQLException {
        DataSource again = use.watch(counted);
        assertThat(again).isSameAs(counted);

        again.getConnection();

        assertThat(use.inUse()).isEqualTo(1);
    }

    @Test
    void handlesThatHideTheirPhysicalConnectionLeaveIdleUnknown() throws SQLException {
        DataSource hidden = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> FakePool.physical());

        use.watch(hidden).getConnection();

        assertThat(use.inUse()).isEqualTo(1);
        assertThat(use.idle()).isNaN();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
    }
}
