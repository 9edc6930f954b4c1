package dev.flowline.engine.nodes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every refused range, its edges, the IPv6 disguises of IPv4 addresses, and configured exceptions. */
class AddressPolicyTest {

    private final AddressPolicy strict = AddressPolicy.strict();

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "0.0.0.0, an unspecified address",
            "0.1.2.3, a 'this network' (0.0.0.0/8) address",
            "127.0.0.1, a loopback address",
            "127.255.255.254, a loopback address",
            "10.0.0.5, a private address",
            "10.255.255.255, a private address",
            "172.16.0.1, a private address",
            "172.31.255.255, a private address",
            "192.168.1.1, a private address",
            "169.254.1.1, a link-local address",
            "169.254.169.254, a link-local address (the cloud metadata endpoint)",
            "100.64.0.1, a carrier-grade NAT address",
            "100.127.255.255, a carrier-grade NAT address",
            "224.0.0.1, a multicast address",
            "239.255.255.250, a multicast address",
            "255.255.255.255, the broadcast address",
            "240.0.0.1, a reserved address",
            "::, an unspecified address",
            "::1, a loopback address",
            "fe80::1, a link-local address",
            "febf:ffff::1, a link-local address",
            "fec0::1, a site-local address",
            "fc00::1, a unique-local address",
            "fd12:3456::1, a unique-local address",
            "ff02::1, a multicast address",
            // Java already reads the mapped literal as IPv4; the others stay IPv6 and are judged by what they carry.
            "::ffff:127.0.0.1, a loopback address",
            "::127.0.0.1, a loopback address (as 127.0.0.1)",
            "::10.0.0.5, a private address (as 10.0.0.5)",
            "64:ff9b::a9fe:a9fe, a link-local address (the cloud metadata endpoint) (as 169.254.169.254)",
            "2002:c0a8:101::1, a private address (as 192.168.1.1)",
            "192.0.0.1, an IETF protocol assignment address (192.0.0.0/24)",
            "192.0.0.170, an IETF protocol assignment address (192.0.0.0/24)",
            "198.18.0.1, a benchmarking address (198.18.0.0/15)",
            "198.19.255.255, a benchmarking address (198.18.0.0/15)",
            "64:ff9b:1::a9fe:a9fe, a local-use NAT64 address (64:ff9b:1::/48)",
            "64:ff9b:1:ffff::1, a local-use NAT64 address (64:ff9b:1::/48)",
            "::ffff:0:7f00:1, a loopback address (as 127.0.0.1)",
            "::ffff:0:a9fe:a9fe, a link-local address (the cloud metadata endpoint) (as 169.254.169.254)",
    })
    void strictRefuses(String literal, String reason) throws UnknownHostException {
        InetAddress address = InetAddress.getByName(literal);

        StepFailedException failure = catchThrowableOfType(StepFailedException.class,
                () -> strict.check("target.example", List.of(address)));

        assertThat(failure).hasMessage("connection to target.example refused: " + address.getHostAddress()
                + " is " + reason);
        assertThat(failure.retryable()).isFalse();
        assertThat(strict.allows(address)).isFalse();
    }

    @ParameterizedTest(name = "::ffff:{0} as a true IPv6 address is {1}")
    @CsvSource({
            "127.0.0.1, a loopback address",
            "10.0.0.5, a private address",
            "169.254.169.254, a link-local address (the cloud metadata endpoint)",
            "100.64.0.1, a carrier-grade NAT address",
            "0.0.0.0, an unspecified address",
    })
    void strictRefusesIpv4MappedIpv6(String ipv4, String reason) throws UnknownHostException {
        InetAddress mapped = mapped(ipv4);

        assertThat(mapped).isInstanceOf(Inet6Address.class);
        assertThat(catchThrowableOfType(StepFailedException.class, () -> strict.check("h", List.of(mapped))))
                .hasMessageContaining(" is " + reason + " (as " + ipv4 + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.1",
            "192.167.255.255", "192.169.0.1", "169.253.255.255", "169.255.0.1", "100.63.255.255", "100.128.0.1",
            "223.255.255.255", "126.255.255.255", "128.0.0.1", "1.0.0.0", "192.0.1.1", "191.255.255.255",
            "198.17.255.255", "198.20.0.1", "64:ff9b:2::808:808", "::ffff:0:808:808",
            "2606:4700:4700::1111", "2001:db8::1", "fe7f::1", "fbff::1", "64:ff9b::808:808", "2002:808:808::1",
            "::ffff:8.8.8.8"})
    void strictAllowsPublicAddresses(String literal) throws UnknownHostException {
        InetAddress address = InetAddress.getByName(literal);

        assertThat(strict.allows(address)).isTrue();
        assertThatNoException().isThrownBy(() -> strict.check("public.example", List.of(address)));
    }

    @Test
    void everyAddressOfTheHostMustBeAllowed() throws UnknownHostException {
        List<InetAddress> mixed = List.of(InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.0.0.5"));

        assertThat(catchThrowableOfType(StepFailedException.class, () -> strict.check("rebind.example", mixed)))
                .hasMessage("connection to rebind.example refused: 10.0.0.5 is a private address");
        assertThat(catchThrowableOfType(StepFailedException.class, () -> strict.check("none.example", List.of())))
                .hasMessageContaining("none.example refused");
    }

    @Test
    void configuredRangesAreAllowed() throws UnknownHostException {
        AddressPolicy policy = AddressPolicy.allowing(List.of("127.0.0.1/32", " 10.1.0.0/16 ", "fd00::/8", "::1/128"));

        assertThat(policy.allows(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(policy.allows(mapped("127.0.0.1"))).isTrue();
        assertThat(policy.allows(InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(policy.allows(InetAddress.getByName("10.1.255.255"))).isTrue();
        assertThat(policy.allows(InetAddress.getByName("10.2.0.1"))).isFalse();
        assertThat(policy.allows(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(policy.allows(InetAddress.getByName("fc00::1"))).isFalse();
        assertThat(policy.allows(InetAddress.getByName("::1"))).isTrue();
        assertThat(policy.allows(InetAddress.getByName("169.254.169.254"))).isFalse();
        assertThat(AddressPolicy.allowing(List.of()).allows(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(AddressPolicy.allowing(List.of("0.0.0.0/0")).allows(InetAddress.getByName("10.0.0.1"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1/33", "127.0.0.1/-1", "127.0.0.1/+8", "127.0.0.1/x",
            "256.0.0.1/32", "1.2.3/24", "10.0.0.1/8", "localhost/32", "fe80::/129", "fe80::1/64", "::g/64", "",
            "/8", "a.b.c.d/8"})
    void invalidRangesAreNamed(String cidr) {
        assertThatIllegalArgumentException().isThrownBy(() -> AddressPolicy.allowing(List.of("10.0.0.0/8", cidr)))
                .withMessageContaining("'" + cidr + "'");
    }

    @Test
    void resolvesLiteralsAndRefusesMissingOrUnknownHosts() throws UnknownHostException {
        assertThat(strict.resolve("127.0.0.1")).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(strict.resolve("[::1]")).containsExactly(InetAddress.getByName("::1"));

        StepFailedException empty = catchThrowableOfType(StepFailedException.class, () -> strict.resolve(""));
        assertThat(empty.retryable()).isFalse();
        StepFailedException unknown =
                catchThrowableOfType(StepFailedException.class, () -> strict.resolve("no-such-host.invalid"));
        assertThat(unknown).hasMessageContaining("no-such-host.invalid");
        assertThat(unknown.retryable()).isTrue();
    }

    /** {@code ::ffff:a.b.c.d} kept as an IPv6 address (InetAddress.getByName would turn it into IPv4). */
    private static InetAddress mapped(String ipv4) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName(ipv4).getAddress(), 0, bytes, 12, 4);
        return Inet6Address.getByAddress(null, bytes, -1);
    }
}
