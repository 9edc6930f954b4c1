package dev.flowline.platform.persistence;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers a PostgreSQL JDBC URL names ({@code jdbc:postgresql://host[:port][,host[:port]...]/database?...}, IPv6
 * in brackets, port 5432 by default), unresolved. Empty for a URL without {@code //} or one that cannot be read: then
 * nothing is checked by address.
 */
final class JdbcAddresses {

    private static final String PREFIX = "jdbc:postgresql://";
    private static final int DEFAULT_PORT = 5432;

    private JdbcAddresses() {
    }

    static List<InetSocketAddress> of(String url) {
        if (url == null || !url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return List.of();
        }
        String rest = url.substring(PREFIX.length());
        int end = rest.length();
        for (char stop : new char[] {'/', '?'}) {
            int at = rest.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        try {
            for (String server : rest.substring(0, end).split(",")) {
                String host = server.strip();
                int port = DEFAULT_PORT;
                int colon = host.lastIndexOf(':');
                if (colon > host.lastIndexOf(']')) {
                    port = Integer.parseInt(host.substring(colon + 1));
                    host = host.substring(0, colon);
                }
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                if (host.isEmpty()) {
                    host = "localhost";
                }
                addresses.add(InetSocketAddress.createUnresolved(host, port));
            }
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        return List.copyOf(addresses);
    }
}
