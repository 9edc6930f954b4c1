package dev.flowline.platform.persistence;

import jakarta.ejb.EJBException;
import jakarta.persistence.PersistenceException;
import jakarta.resource.spi.ResourceAllocationException;
import jakarta.transaction.RollbackException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import javax.transaction.xa.XAException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionFailureTest {

    /**
     * EclipseLink's DatabaseException stand-in: a RuntimeException whose cause is the driver's exception (EclipseLink's
     * setInternalException calls initCause, so the chain is the same; not worth a 9 MB test dependency).
     */
    static RuntimeException eclipseLink(SQLException sql) {
        return new RuntimeException("Exception [EclipseLink-4002] (Eclipse Persistence Services): "
                + "org.eclipse.persistence.exceptions.DatabaseException", sql);
    }

    /** What the service layer sees: JPA over EclipseLink over the driver, inside an EJB call. */
    private static RuntimeException asServiceSeesIt(SQLException sql) {
        return new EJBException(new PersistenceException("Exception [EclipseLink-4002]", eclipseLink(sql)));
    }

    @Test
    void aRefusedConnectionUnderEclipseLinkJpaAndEjbIsAConnectionFailure() {
        PSQLException refused = new PSQLException("Connection to 127.0.0.1:5433 refused.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new ConnectException("Connection refused"));
        RuntimeException failure = asServiceSeesIt(refused);

        assertThat(ConnectionFailure.in(failure)).isTrue();
        assertThat(ConnectionFailure.unreachable(failure)).isTrue();
        assertThat(ConnectionFailure.find(failure)).isSameAs(refused);
        assertThat(ConnectionFailure.describe(failure)).startsWith("PSQLException (SQLState 08001): Connection to");
    }

    @Test
    void everySqlStateOfClass08AndTheServerShuttingDownAreConnectionFailures() {
        for (String state : new String[] {"08000", "08001", "08003", "08004", "08006", "08P01", "57P01", "57P02", "57P03"}) {
            assertThat(ConnectionFailure.in(asServiceSeesIt(new SQLException("lost", state)))).as(state).isTrue();
        }
    }

    @Test
    void jdbcConnectionExceptionsAreConnectionFailuresWithoutASqlState() {
        assertThat(ConnectionFailure.unreachable(new RuntimeException(new SQLTransientConnectionException("timed out"))))
                .isTrue();
        assertThat(ConnectionFailure.unreachable(new IllegalStateException(new SQLNonTransientConnectionException("closed"))))
                .isTrue();
    }

    @Test
    void thePoolsCouldNotGetAConnectionIsAConnectionFailureButNotProofTheDatabaseIsGone() {
        // Payara: SQLException "Error in allocating a connection" caused by the connector's ResourceAllocationException
        SQLException allocating = new SQLException("Error in allocating a connection. Cause: In-use connections equal"
                + " max-pool-size and expired max-wait-time.", new ResourceAllocationException("no connection"));
        RuntimeException failure = asServiceSeesIt(allocating);

        assertThat(ConnectionFailure.in(failure)).isTrue();
        assertThat(ConnectionFailure.unreachable(failure)).isFalse();
    }

    @Test
    void aNewConnectionTheServerRefusedUnderThePoolIsTheDatabaseGoneWhateverItsSqlState() {
        // Payara, ALTER DATABASE ... ALLOW_CONNECTIONS false: the driver's FATAL 55000 under the pool's allocation error
        ResourceAllocationException pool = new ResourceAllocationException("Connection could not be allocated");
        PSQLException refused = new PSQLException("FATAL: database \"flowline\" is not currently accepting connections",
                PSQLState.OBJECT_NOT_IN_STATE);
        pool.initCause(refused);
        RuntimeException failure = asServiceSeesIt(new SQLException("Error in allocating a connection.", pool));

        assertThat(ConnectionFailure.unreachable(failure)).isTrue();
        assertThat(ConnectionFailure.describe(failure)).startsWith("PSQLException (SQLState 55000): FATAL: database");
        // the same SQLState from a statement is not an outage
        assertThat(ConnectionFailure.in(asServiceSeesIt(new SQLException("currval is not yet defined", "55000"))))
                .isFalse();
    }

    @Test
    void aCommitTheConnectionFailedUnderIsAConnectionFailureButNotProofTheDatabaseIsGone() throws Exception {
        // Payara, the database stopped between the last statement and the commit: the cause is only a message
        XAException xa = new XAException("jakarta.resource.spi.LocalTransactionException: FATAL: terminating"
                + " connection due to administrator command");
        xa.errorCode = XAException.XAER_RMERR;
        jakarta.transaction.SystemException system = new jakarta.transaction.SystemException();
        system.initCause(xa);
        RuntimeException failure = new jakarta.transaction.TransactionalException("encountered exception during commit",
                system);

        assertThat(ConnectionFailure.in(failure)).isTrue();
        assertThat(ConnectionFailure.unreachable(failure)).isFalse();
        XAException other = new XAException(XAException.XA_RBDEADLOCK);
        assertThat(ConnectionFailure.in(new RuntimeException(other))).isFalse();
    }

    @Test
    void aConnectionFailureAmongTheNextExceptionsOrUnderACommitCounts() {
        SQLException batch = new SQLException("Batch entry 0 was aborted", "08006");
        SQLException first = new SQLException("batch failed");
        first.setNextException(batch);
        RollbackException commit = new RollbackException("commit failed");
        commit.initCause(first);

        assertThat(ConnectionFailure.in(new EJBException(commit))).isTrue();
    }

    @Test
    void otherSqlErrorsAreNotConnectionFailures() {
        assertThat(ConnectionFailure.in(asServiceSeesIt(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(ConnectionFailure.in(asServiceSeesIt(new SQLException("could not serialize", "40001")))).isFalse();
        assertThat(ConnectionFailure.in(asServiceSeesIt(new SQLException("syntax error", "42601")))).isFalse();
        assertThat(ConnectionFailure.in(asServiceSeesIt(new SQLException("no state")))).isFalse();
        assertThat(ConnectionFailure.in(new IllegalStateException("not the database"))).isFalse();
        assertThat(ConnectionFailure.in(null)).isFalse();
    }

    @Test
    void aCyclicCauseChainEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);

        assertThat(ConnectionFailure.in(a)).isFalse();
    }
}
