package dev.flowline.connections;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The origins a credential may be sent to ({@code https://api.example.com}, {@code http://127.0.0.1:8025}), the rule
 * that keeps a connection's token or an API key on the hosts its owner meant: the HTTP node attaches a credential
 * only to a request whose origin is listed, and checks again on every redirect hop.
 *
 * <p>An entry is a scheme ({@code http} or {@code https}), a host and an optional port, nothing else (no path, query,
 * user info). A host may start with {@code *.} to cover its subdomains at any depth (not the name itself): providers
 * such as Salesforce serve each customer under its own subdomain. Entries are normalized (lower case, IDNs as
 * ASCII, default ports dropped), so {@code HTTPS://Api.Example.com:443} and {@code https://api.example.com} are equal.
 */
public final class CredentialOrigins {

    /** Entries per credential; a list longer than this is more likely a mistake than a need. */
    public static final int MAX_ENTRIES = 20;

    private final List<String> values;

    private CredentialOrigins(List<String> values) {
        this.values = List.copyOf(values);
    }

    public static CredentialOrigins none() {
        return new CredentialOrigins(List.of());
    }

    /**
     * Parses and normalizes {@code entries}, dropping duplicates.
     *
     * @throws IllegalArgumentException naming the first entry that is not an origin (its text: origins are not secret)
     */
    public static CredentialOrigins parse(Collection<String> entries) {
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("at most " + MAX_ENTRIES + " origins");
        }
        Set<String> normalized = new LinkedHashSet<>();
        for (String entry : entries) {
            normalized.add(normalize(entry));
        }
        return new CredentialOrigins(new ArrayList<>(normalized));
    }

    /** Parses a comma-separated list, as configuration gives it; blanks between commas are ignored. */
    public static CredentialOrigins parseList(String commaSeparated) {
        List<String> entries = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                entries.add(part.strip());
            }
        }
        return parse(entries);
    }

    /** Whether a request to {@code uri} may carry the credential: its origin equals or falls under an entry. */
    public boolean allows(URI uri) {
        String origin = originOf(uri);
        if (origin == null) {
            return false;
        }
        for (String entry : values) {
            if (matches(entry, origin)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The normalized entries, in the order given. */
    public List<String> values() {
        return values;
    }

    /** The origin of {@code uri} in normalized form, or null when it has none ({@code mailto:}, a relative URI). */
    public static String originOf(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            return null;
        }
        try {
            return normalize(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean matches(String entry, String origin) {
        if (entry.equals(origin)) {
            return true;
        }
        int wildcard = entry.indexOf("://*.");
        if (wildcard < 0) {
            return false;
        }
        // "https://*.example.com:8443" covers "https://a.b.example.com:8443": same scheme and port, a deeper host.
        String scheme = entry.substring(0, wildcard + 3);
        String suffix = entry.substring(wildcard + 4); // ".example.com[:port]"
        return origin.startsWith(scheme) && origin.endsWith(suffix)
                && origin.length() > scheme.length() + suffix.length()
                && !origin.substring(scheme.length(), origin.length() - suffix.length()).contains(":");
    }

    private static String normalize(String entry) {
        String text = entry == null ? "" : entry.strip();
        if (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1); // "https://api.example.com/" is a common way to write it
        }
        boolean wildcard = false;
        int star = text.indexOf("://*.");
        if (star > 0) {
            wildcard = true;
            text = text.substring(0, star + 3) + "wildcard" + text.substring(star + 4);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + entry + "' is not an origin (scheme://host[:port])");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null || uri.getRawUserInfo() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + entry + "' is not an origin (scheme://host[:port], no path)");
        }
        String host;
        try {
            host = IDN.toASCII(uri.getHost(), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            if (!uri.getHost().startsWith("[")) {
                throw new IllegalArgumentException("'" + entry + "' has an invalid host name");
            }
            host = uri.getHost().toLowerCase(Locale.ROOT); // an IPv6 literal
        }
        if (wildcard) {
            host = "*" + host.substring("wildcard".length());
            if (host.chars().filter(c -> c == '.').count() < 2) {
                throw new IllegalArgumentException("'" + entry + "': a wildcard needs a domain of at least two"
                        + " labels (https://*.example.com)");
            }
        }
        int port = uri.getPort();
        boolean defaultPort = port < 0 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CredentialOrigins that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return String.join(",", values);
    }
}
