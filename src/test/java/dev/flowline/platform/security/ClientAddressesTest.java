package dev.flowline.platform.security;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressesTest {

    @Test
    void withoutTrustedProxiesXForwardedForIsIgnored() {
        assertThat(ClientAddresses.resolve("192.0.2.10", List.of("203.0.113.5"), 0)).isEqualTo("192.0.2.10");
    }

    @Test
    void theHopWrittenByTheFirstTrustedProxyIsTheClient() {
        // the client forged "1.2.3.4"; our proxy appended the address it saw, 203.0.113.5
        assertThat(ClientAddresses.resolve("10.0.0.2", List.of("1.2.3.4, 203.0.113.5"), 1)).isEqualTo("203.0.113.5");
        // two proxies: the outer one appended the client, the inner one the outer proxy
        assertThat(ClientAddresses.resolve("10.0.0.2", List.of("1.2.3.4, 203.0.113.5", "10.0.0.1"), 2))
                .isEqualTo("203.0.113.5");
    }

    @Test
    void aShortOrGarbledChainFallsBackToTheNearestHopWeSaw() {
        assertThat(ClientAddresses.resolve("10.0.0.2", List.of(), 1)).isEqualTo("10.0.0.2");
        assertThat(ClientAddresses.resolve("10.0.0.2", List.of("evil.example.com"), 1)).isEqualTo("10.0.0.2");
        assertThat(ClientAddresses.resolve("10.0.0.2", List.of("10.0.0.1"), 5)).isEqualTo("10.0.0.1");
    }

    @Test
    void ipv6AddressesAreKeyedByTheirSlash64() {
        assertThat(ClientAddresses.resolve("2001:db8:1:2:aaaa::1", List.of(), 0)).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(ClientAddresses.resolve("10.0.0.2", List.of("[2001:db8:1:2::ffff]"), 1))
                .isEqualTo("2001:db8:1:2:0:0:0:0/64");
    }
}
