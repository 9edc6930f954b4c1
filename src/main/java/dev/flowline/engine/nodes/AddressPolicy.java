package dev.flowline.engine.nodes;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which addresses the engine may connect to on behalf of a workflow. Workflows are written by tenants, so without
 * this an {@code http.request} node could reach the instance's own admin ports, the database, other services on
 * the private network or the cloud metadata endpoint (169.254.169.254) and hand their answers back (SSRF).
 *
 * <p>Refused unless a configured CIDR range allows them: 0.0.0.0/8, loopback (127/8, ::1), unspecified (::),
 * link-local (169.254/16, fe80::/10), private (10/8, 172.16/12, 192.168/16), site-local fec0::/10, unique-local
 * fc00::/7, carrier-grade NAT 100.64/10, IETF protocol assignments 192.0.0/24, benchmarking 198.18/15, multicast
 * (224/4, ff00::/8), 240/4 (reserved, with the broadcast address) and the local-use NAT64 prefix 64:ff9b:1::/48.
 * IPv6 addresses that carry an IPv4 address (IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible
 * {@code ::a.b.c.d}, IPv4-translated {@code ::ffff:0:a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d} and 6to4
 * {@code 2002:AABB:CCDD::}) are judged by that IPv4 address too, since the packets end up there.
 *
 * <p>Immutable and thread-safe.
 */
public final class AddressPolicy {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final List<Cidr> allowed;

    private AddressPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Refuses every range listed in the class description. */
    public static AddressPolicy strict() {
        return new AddressPolicy(List.of());
    }

    /**
     * Like {@link #strict()}, except for addresses inside one of {@code cidrs} (e.g. {@code "127.0.0.1/32"} for
     * tests, {@code "10.1.0.0/16"} for a partner network reached on purpose).
     *
     * @throws IllegalArgumentException naming the entry that is not an IPv4 or IPv6 CIDR range
     *                                  (an address literal, {@code /}, a prefix length, no host bits set)
     */
    public static AddressPolicy allowing(List<String> cidrs) {
        List<Cidr> parsed = new ArrayList<>();
        for (String cidr : cidrs) {
            parsed.add(Cidr.parse(cidr));
        }
        return new AddressPolicy(parsed);
    }

    /**
     * All the addresses {@code host} resolves to (a literal address resolves to itself without a DNS query).
     *
     * @throws StepFailedException retryable when the name does not resolve (DNS may be failing for a while);
     *                             not retryable when there is no host at all
     */
    public List<InetAddress> resolve(String host) {
        // getAllByName(null or "") answers the loopback address: never let an empty host through.
        if (host == null || host.isBlank()) {
            throw new StepFailedException("the URL has no host", false);
        }
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw new StepFailedException("could not resolve host " + host, true, e);
        }
    }

    /**
     * Answers normally when every address of {@code host} is allowed. All must be: a client may connect to any of
     * them, and a name that resolves to a public and a private address is an attack, not a mistake.
     *
     * @throws StepFailedException not retryable, naming the host and the first refused address, e.g.
     *                             {@code "connection to db.internal refused: 10.0.0.5 is a private address"}
     */
    public void check(String host, List<InetAddress> resolved) {
        if (resolved.isEmpty()) {
            throw new StepFailedException("connection to " + host + " refused: it has no address", false);
        }
        for (InetAddress address : resolved) {
            String refusal = refusal(address);
            if (refusal != null) {
                throw new StepFailedException("connection to " + host + " refused: " + address.getHostAddress()
                        + " is " + refusal, false);
            }
        }
    }

    /** Whether the engine may connect to {@code address}. */
    public boolean allows(InetAddress address) {
        return refusal(address) == null;
    }

    /** Why {@code address} is refused ("a private address"), or null when it is allowed. */
    private String refusal(InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (isAllowed(address)) {
            return null;
        }
        if (address instanceof Inet4Address v4) {
            return refusal(v4.getAddress());
        }
        Inet6Address v6 = (Inet6Address) address;
        String own = refusal6(v6.getAddress());
        if (own != null) {
            return own;
        }
        Inet4Address embedded = embeddedIpv4(v6.getAddress());
        if (embedded == null || isAllowed(embedded)) {
            return null;
        }
        String inner = refusal(embedded.getAddress());
        return inner == null ? null : inner + " (as " + embedded.getHostAddress() + ")";
    }

    private boolean isAllowed(InetAddress address) {
        for (Cidr cidr : allowed) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static String refusal(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if (b0 == 0) {
            return Arrays.equals(a, new byte[4]) ? "an unspecified address" : "a 'this network' (0.0.0.0/8) address";
        }
        if (b0 == 127) {
            return "a loopback address";
        }
        if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
            return "a private address";
        }
        if (b0 == 169 && b1 == 254) {
            return (a[2] & 0xff) == 169 && (a[3] & 0xff) == 254
                    ? "a link-local address (the cloud metadata endpoint)" : "a link-local address";
        }
        if (b0 == 100 && (b1 & 0xc0) == 64) {
            return "a carrier-grade NAT address";
        }
        if (b0 == 192 && b1 == 0 && a[2] == 0) {
            return "an IETF protocol assignment address (192.0.0.0/24)";
        }
        if (b0 == 198 && (b1 & 0xfe) == 18) {
            return "a benchmarking address (198.18.0.0/15)";
        }
        if ((b0 & 0xf0) == 224) {
            return "a multicast address";
        }
        if (b0 == 255 && b1 == 255 && (a[2] & 0xff) == 255 && (a[3] & 0xff) == 255) {
            return "the broadcast address";
        }
        if ((b0 & 0xf0) == 240) {
            return "a reserved address";
        }
        return null;
    }

    private static String refusal6(byte[] a) {
        byte[] loopback = new byte[16];
        loopback[15] = 1;
        if (Arrays.equals(a, new byte[16])) {
            return "an unspecified address";
        }
        if (Arrays.equals(a, loopback)) {
            return "a loopback address";
        }
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return "a link-local address";
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return "a site-local address";
        }
        if ((b0 & 0xfe) == 0xfc) {
            return "a unique-local address";
        }
        if (b0 == 0xff) {
            return "a multicast address";
        }
        if (b0 == 0x00 && b1 == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b && a[4] == 0 && a[5] == 1) {
            // RFC 8215's local-use NAT64 prefix translates to whatever IPv4 network the operator chose: never public
            return "a local-use NAT64 address (64:ff9b:1::/48)";
        }
        return null;
    }

    /**
     * The IPv4 address an IPv6 address carries (mapped, compatible, translated, NAT64 well-known prefix, 6to4), or
     * null.
     */
    private static Inet4Address embeddedIpv4(byte[] a) {
        boolean zero80 = isZero(a, 0, 10);
        boolean mapped = zero80 && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
        boolean compatible = zero80 && a[10] == 0 && a[11] == 0;
        // IPv4-translated (SIIT, RFC 2765): ::ffff:0:a.b.c.d
        boolean translated = isZero(a, 0, 8) && (a[8] & 0xff) == 0xff && (a[9] & 0xff) == 0xff && a[10] == 0
                && a[11] == 0;
        boolean nat64 = (a[0] & 0xff) == 0x00 && (a[1] & 0xff) == 0x64 && (a[2] & 0xff) == 0xff
                && (a[3] & 0xff) == 0x9b && isZero(a, 4, 12);
        if (mapped || compatible || translated || nat64) {
            return ipv4(Arrays.copyOfRange(a, 12, 16));
        }
        if ((a[0] & 0xff) == 0x20 && (a[1] & 0xff) == 0x02) {
            return ipv4(Arrays.copyOfRange(a, 2, 6));
        }
        return null;
    }

    private static boolean isZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Inet4Address ipv4(byte[] four) {
        try {
            return (Inet4Address) InetAddress.getByAddress(four);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    @Override
    public String toString() {
        return "AddressPolicy[strict, allowing " + allowed + "]";
    }

    /** A range of addresses of one family: the network's bytes and the prefix length. */
    private record Cidr(byte[] network, int prefix, String text) {

        static Cidr parse(String text) {
            if (text == null) {
                throw new IllegalArgumentException("null is not a CIDR range");
            }
            String trimmed = text.strip();
            int slash = trimmed.indexOf('/');
            if (slash < 0) {
                throw invalid(text, "it has no /prefix length");
            }
            String literal = trimmed.substring(0, slash);
            String length = trimmed.substring(slash + 1);
            byte[] network = literal(literal, text);
            int max = network.length * 8;
            int prefix;
            try {
                prefix = Integer.parseInt(length);
            } catch (NumberFormatException e) {
                throw invalid(text, "the prefix length is not a number");
            }
            if (prefix < 0 || prefix > max || !length.matches("\\d{1,3}")) {
                throw invalid(text, "the prefix length must be 0-" + max);
            }
            if (!Arrays.equals(network, masked(network, prefix))) {
                throw invalid(text, "host bits are set after /" + prefix);
            }
            return new Cidr(network, prefix, trimmed);
        }

        /** Parses only literals: InetAddress.getByName on a name would send a DNS query. */
        private static byte[] literal(String literal, String text) {
            boolean v4 = IPV4.matcher(literal).matches();
            boolean v6 = literal.indexOf(':') >= 0 && literal.matches("[0-9A-Fa-f:.]+");
            if (!v4 && !v6) {
                throw invalid(text, "the address is not an IPv4 or IPv6 literal");
            }
            if (v4) {
                String[] parts = literal.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(parts[i]);
                    if (part > 255) {
                        throw invalid(text, "the address is not valid");
                    }
                    bytes[i] = (byte) part;
                }
                return bytes;
            }
            try {
                byte[] bytes = InetAddress.getByName(literal).getAddress();
                if (v6 && bytes.length == 4) {
                    // Java turns ::ffff:a.b.c.d into an IPv4 address; keep the IPv6 form the text asked for.
                    byte[] mapped = new byte[16];
                    mapped[10] = (byte) 0xff;
                    mapped[11] = (byte) 0xff;
                    System.arraycopy(bytes, 0, mapped, 12, 4);
                    return mapped;
                }
                return bytes;
            } catch (UnknownHostException e) {
                throw invalid(text, "the address is not valid");
            }
        }

        private static IllegalArgumentException invalid(String text, String why) {
            return new IllegalArgumentException("invalid CIDR range '" + text + "': " + why);
        }

        private static byte[] masked(byte[] address, int prefix) {
            byte[] result = address.clone();
            for (int bit = prefix; bit < result.length * 8; bit++) {
                result[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            return result;
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length == 16 && network.length == 4) {
                // An IPv4 range also covers the same addresses written as IPv4-mapped IPv6.
                if (!isZero(bytes, 0, 10) || (bytes[10] & 0xff) != 0xff || (bytes[11] & 0xff) != 0xff) {
                    return false;
                }
                bytes = Arrays.copyOfRange(bytes, 12, 16);
            } else if (bytes.length == 4 && network.length == 16) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                bytes = mapped;
            }
            return Arrays.equals(masked(bytes, prefix), network);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
