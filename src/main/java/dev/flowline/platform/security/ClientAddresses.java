package dev.flowline.platform.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The address a request came from, as rate limits and login throttling key it. {@code X-Forwarded-For} is read only
 * as far as {@code flowline.http.trusted-proxies} says: with N trusted proxies in front of the server, the client is
 * the N-th address from the right of {@code X-Forwarded-For, remote address}; everything to the left of it can be
 * forged by the client. With 0 (the default) the header is ignored.
 * <p>
 * IPv6 addresses are cut to their /64 network: one subscriber usually holds a whole /64, so keying single addresses
 * would give an attacker 2^64 fresh keys.
 */
@ApplicationScoped
public class ClientAddresses {

    /** Only literal addresses: never a host name, which {@link InetAddress} would look up. */
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    @Inject
    @ConfigProperty(name = "flowline.http.trusted-proxies", defaultValue = "0")
    int trustedProxies;

    /** The client key of this request: an IPv4 address or an IPv6 /64, e.g. {@code 2001:db8:1:2::/64}. */
    public String of(HttpServletRequest request) {
        List<String> forwarded = trustedProxies <= 0 ? List.of() : Collections.list(request.getHeaders("X-Forwarded-For"));
        return resolve(request.getRemoteAddr(), forwarded, trustedProxies);
    }

    static String resolve(String remoteAddress, List<String> forwardedHeaders, int trustedProxies) {
        List<String> chain = new ArrayList<>();
        if (trustedProxies > 0) {
            for (String header : forwardedHeaders) {
                for (String hop : header.split(",")) {
                    chain.add(hop.strip());
                }
            }
        }
        chain.add(remoteAddress);
        int client = Math.max(0, chain.size() - 1 - Math.max(0, trustedProxies));
        // a garbled entry was written by the client or a proxy we do not trust: fall back to the hop that passed it on
        for (int i = client; i < chain.size(); i++) {
            String key = key(chain.get(i));
            if (key != null) {
                return key;
            }
        }
        return "unknown";
    }

    private static String key(String address) {
        if (address == null) {
            return null;
        }
        String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        if (!LITERAL.matcher(literal).matches()) {
            return null;
        }
        try {
            byte[] bytes = InetAddress.getByName(literal).getAddress();
            if (bytes.length == 4) {
                return InetAddress.getByAddress(bytes).getHostAddress();
            }
            byte[] network = new byte[16];
            System.arraycopy(bytes, 0, network, 0, 8);
            return InetAddress.getByAddress(network).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
