package dev.flowline.platform.persistence;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseAvailabilityTest {

    /** A probe that answers as told, counting its calls (no container: the EJB's pool is not used). */
    private static final class ScriptedProbe extends DatabaseProbe {
        boolean answers;
        int calls;

        @Override
        public boolean answers(int timeoutSeconds) throws SQLException {
            calls++;
            if (!answers) {
                throw new SQLException("Connection refused", "08001");
            }
            return true;
        }
    }

    @Test
    void aConnectionFailureClosesTheGateAndAnotherErrorDoesNot() {
        DatabaseAvailability availability = new DatabaseAvailability();

        assertThat(availability.failed(new RuntimeException(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(availability.open()).isTrue();
        assertThat(availability.failed(new RuntimeException(new SQLException("refused", "08001")))).isTrue();
        assertThat(availability.open()).isFalse();
    }

    @Test
    void whileClosedItProbesAtMostOnceASecondAndReopensWhenTheDatabaseAnswers() throws Exception {
        ScriptedProbe probe = new ScriptedProbe();
        DatabaseAvailability availability = new DatabaseAvailability();
        availability.probe = probe;
        availability.failed(new SQLException("refused", "08001"));

        assertThat(availability.available()).isFalse(); // within the second after the failure: no probe
        assertThat(probe.calls).isZero();
        Thread.sleep(DatabaseAvailability.PROBE_INTERVAL_MILLIS + 50);
        assertThat(availability.available()).isFalse();
        assertThat(availability.available()).isFalse();
        assertThat(probe.calls).isEqualTo(1);

        probe.answers = true;
        Thread.sleep(DatabaseAvailability.PROBE_INTERVAL_MILLIS + 50);
        assertThat(availability.available()).isTrue();
        assertThat(availability.open()).isTrue();
        assertThat(availability.closedFor()).isZero();
    }

    @Test
    void whileTheServersPortIsClosedThePoolIsNotTried() throws Exception {
        ScriptedProbe probe = new ScriptedProbe();
        probe.answers = true;
        DatabaseAvailability availability = new DatabaseAvailability();
        availability.probe = probe;
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        availability.addresses = List.of(InetSocketAddress.createUnresolved("127.0.0.1", closedPort));
        availability.failed(new SQLException("refused", "08001"));
        Thread.sleep(DatabaseAvailability.PROBE_INTERVAL_MILLIS + 50);

        assertThat(availability.available()).isFalse();
        assertThat(probe.calls).isZero();
    }
}
