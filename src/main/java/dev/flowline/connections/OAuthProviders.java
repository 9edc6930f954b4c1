package dev.flowline.connections;

import dev.flowline.connections.ConnectionErrors.UnknownProviderException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The OAuth providers of this installation, from configuration: {@code flowline.oauth.providers} lists their names,
 * and each has {@code flowline.oauth.<name>.authorize-url}, {@code .token-url}, {@code .client-id},
 * {@code .client-secret}, and optionally {@code .scopes}, {@code .authorize-params}, {@code .userinfo-url},
 * {@code .revocation-url}, {@code .client-auth} ({@code post}, the default, or {@code basic}) and {@code .api-origins}
 * (where its tokens may be sent; see {@link CredentialOrigins}). A provider with a missing or malformed required key
 * fails the deployment with a message naming the key (never its value), rather than the first user's connection
 * attempt.
 */
@ApplicationScoped
public class OAuthProviders {

    private static final Logger LOG = Logger.getLogger(OAuthProviders.class.getName());
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    @Inject
    Config config;

    private Map<String, OAuthProvider> byName = Map.of();

    @PostConstruct
    void load() {
        List<String> names = Arrays.stream(config.getOptionalValue("flowline.oauth.providers", String.class)
                .orElse("").split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList();
        Map<String, OAuthProvider> loaded = new LinkedHashMap<>();
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalStateException("flowline.oauth.providers: '" + name
                        + "' is not a provider name (lower-case letters, digits and '-', at most 32)");
            }
            loaded.put(name, provider(name));
        }
        byName = Map.copyOf(loaded);
        if (!byName.isEmpty()) {
            LOG.info(() -> "OAuth providers: " + byName.keySet());
        }
    }

    public OAuthProvider require(String name) {
        OAuthProvider provider = byName.get(name);
        if (provider == null) {
            throw new UnknownProviderException(name);
        }
        return provider;
    }

    public Optional<OAuthProvider> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }

    private OAuthProvider provider(String name) {
        String prefix = "flowline.oauth." + name + ".";
        return new OAuthProvider(name,
                url(prefix + "authorize-url", required(prefix + "authorize-url")),
                url(prefix + "token-url", required(prefix + "token-url")),
                required(prefix + "client-id"),
                required(prefix + "client-secret"),
                config.getOptionalValue(prefix + "scopes", String.class).orElse("").strip(),
                config.getOptionalValue(prefix + "authorize-params", String.class).orElse("").strip(),
                config.getOptionalValue(prefix + "userinfo-url", String.class).map(value -> url(prefix + "userinfo-url", value)),
                config.getOptionalValue(prefix + "revocation-url", String.class)
                        .map(value -> url(prefix + "revocation-url", value)),
                basicAuth(prefix + "client-auth"),
                apiOrigins(prefix + "api-origins"));
    }

    /** Optional so that an installation upgrading keeps starting; without it the provider's tokens go nowhere. */
    private CredentialOrigins apiOrigins(String key) {
        Optional<String> value = config.getOptionalValue(key, String.class).filter(text -> !text.isBlank());
        if (value.isEmpty()) {
            LOG.warning(() -> key + " is not set: workflows cannot send this provider's tokens anywhere until it"
                    + " lists the provider's API origins (e.g. https://www.googleapis.com)");
            return CredentialOrigins.none();
        }
        try {
            return CredentialOrigins.parseList(value.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + ": " + e.getMessage(), e);
        }
    }

    private boolean basicAuth(String key) {
        String method = config.getOptionalValue(key, String.class).orElse("post").strip();
        return switch (method) {
            case "post" -> false;
            case "basic" -> true;
            default -> throw new IllegalStateException(key + " must be 'post' or 'basic'");
        };
    }

    private String required(String key) {
        return config.getOptionalValue(key, String.class).filter(value -> !value.isBlank())
                .orElseThrow(() -> new IllegalStateException(key + " is required for the OAuth provider"));
    }

    private static URI url(String key, String value) {
        try {
            URI uri = URI.create(value.strip());
            if (!uri.isAbsolute() || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("not absolute");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + " must be an absolute http(s) URL", e);
        }
    }
}
