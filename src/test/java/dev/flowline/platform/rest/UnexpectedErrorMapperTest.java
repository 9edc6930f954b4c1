package dev.flowline.platform.rest;

import dev.flowline.platform.persistence.DatabaseAvailability;
import jakarta.ejb.EJBException;
import jakarta.persistence.PersistenceException;
import jakarta.resource.spi.ResourceAllocationException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class UnexpectedErrorMapperTest {

    private final DatabaseAvailability availability = new DatabaseAvailability();
    private final UnexpectedErrorMapper mapper = new UnexpectedErrorMapper();

    {
        mapper.database = availability;
    }

    private static RuntimeException underJpa(SQLException sql) {
        return new EJBException(new PersistenceException("Exception [EclipseLink-4002]",
                new RuntimeException("org.eclipse.persistence.exceptions.DatabaseException", sql))); // EclipseLink's keeps its cause
    }

    private static void assertServiceUnavailable(Response response) {
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo(String.valueOf(DatabaseAvailability.RETRY_AFTER_SECONDS));
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat((String) response.getEntity())
                .contains("\"type\":\"https://flowline.dev/problems/service-unavailable\"", "\"status\":503")
                .doesNotContain("127.0.0.1", "Exception");
    }

    @Test
    void aRefusedConnectionAnywhereInTheChainIs503WithRetryAfterAndClosesTheGate() {
        PSQLException refused = new PSQLException("Connection to 127.0.0.1:5433 refused.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new ConnectException("Connection refused"));

        assertServiceUnavailable(mapper.toResponse(underJpa(refused)));
        assertThat(availability.open()).isFalse();
    }

    @Test
    void eachKindOfConnectionFailureIs503() {
        assertServiceUnavailable(mapper.toResponse(underJpa(new SQLException("terminating connection due to"
                + " administrator command", "57P01"))));
        assertServiceUnavailable(mapper.toResponse(underJpa(new SQLException("An I/O error occurred", "08006"))));
        assertServiceUnavailable(mapper.toResponse(new RuntimeException(new SQLTransientConnectionException("timeout"))));
    }

    @Test
    void aPoolWithNoConnectionToGiveIs503ButLeavesTheGateOpen() {
        SQLException allocating = new SQLException("Error in allocating a connection.",
                new ResourceAllocationException("Connection could not be allocated"));

        assertServiceUnavailable(mapper.toResponse(underJpa(allocating)));
        assertThat(availability.open()).isTrue();
    }

    @Test
    void anotherSqlErrorStaysA500() {
        Response response = mapper.toResponse(underJpa(new SQLException("duplicate key value", "23505")));

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getHeaderString("Retry-After")).isNull();
        assertThat((String) response.getEntity()).contains("problems/internal-error").doesNotContain("duplicate");
        assertThat(availability.open()).isTrue();
    }
}
