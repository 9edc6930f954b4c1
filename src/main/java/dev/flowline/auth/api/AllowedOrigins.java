package dev.flowline.auth.api;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The web origins whose pages may send state-changing requests authenticated by the session cookie: the origin of
 * {@code flowline.public-base-url} (the front end the emails link to) and those of {@code flowline.http.allowed-origins}
 * (comma-separated, e.g. {@code https://app.example.com}). Compared as scheme://host[:port], default ports dropped.
 */
@ApplicationScoped
public class AllowedOrigins {

    @Inject
    @ConfigProperty(name = "flowline.public-base-url", defaultValue = "http://localhost:8080")
    String publicBaseUrl;

    // Optional<String>, split here: Payara's config producer cannot inject Optional<List<String>>
    @Inject
    @ConfigProperty(name = "flowline.http.allowed-origins")
    Optional<String> extraOrigins;

    private Set<String> origins;

    @PostConstruct
    void collect() {
        Set<String> collected = new HashSet<>();
        normalize(publicBaseUrl).ifPresent(collected::add);
        extraOrigins.map(list -> List.of(list.split(","))).orElse(List.of()).stream().filter(origin -> !origin.isBlank())
                .forEach(origin -> normalize(origin).ifPresent(collected::add));
        origins = Set.copyOf(collected);
    }

    public boolean allows(String origin) {
        return origin != null && normalize(origin).filter(origins::contains).isPresent();
    }

    static Optional<String> normalize(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return Optional.empty();
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
