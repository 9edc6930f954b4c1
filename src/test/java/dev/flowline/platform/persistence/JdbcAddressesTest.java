package dev.flowline.platform.persistence;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcAddressesTest {

    @Test
    void readsHostsAndPortsWithTheDefaultPortAndIpv6() {
        assertThat(JdbcAddresses.of("jdbc:postgresql://127.0.0.1:5433/flowline?stringtype=unspecified"))
                .containsExactly(InetSocketAddress.createUnresolved("127.0.0.1", 5433));
        assertThat(JdbcAddresses.of("jdbc:postgresql://db-a,db-b:6432/flowline"))
                .containsExactly(InetSocketAddress.createUnresolved("db-a", 5432),
                        InetSocketAddress.createUnresolved("db-b", 6432));
        assertThat(JdbcAddresses.of("jdbc:postgresql://[::1]:5433/flowline"))
                .containsExactly(InetSocketAddress.createUnresolved("::1", 5433));
    }

    @Test
    void nothingForAUrlItCannotRead() {
        assertThat(JdbcAddresses.of("jdbc:postgresql:flowline")).isEmpty();
        assertThat(JdbcAddresses.of("jdbc:postgresql://host:port/db")).isEmpty();
        assertThat(JdbcAddresses.of(null)).isEmpty();
    }
}
