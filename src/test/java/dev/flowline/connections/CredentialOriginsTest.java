package dev.flowline.connections;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialOriginsTest {

    @Test
    void normalizesCaseDefaultPortsTrailingSlashAndDuplicates() {
        CredentialOrigins origins = CredentialOrigins.parse(List.of("HTTPS://Api.Example.com:443/", "https://api.example.com",
                "http://127.0.0.1:8025", "http://localhost:80"));
        assertThat(origins.values()).containsExactly("https://api.example.com", "http://127.0.0.1:8025",
                "http://localhost");
    }

    @Test
    void allowsOnlyTheListedSchemeHostAndPort() {
        CredentialOrigins origins = CredentialOrigins.parseList("https://api.example.com, http://127.0.0.1:8025");
        assertThat(origins.allows(URI.create("https://api.example.com/v1/users?q=1"))).isTrue();
        assertThat(origins.allows(URI.create("https://API.example.com:443/"))).isTrue();
        assertThat(origins.allows(URI.create("http://api.example.com/"))).as("scheme").isFalse();
        assertThat(origins.allows(URI.create("https://api.example.com:8443/"))).as("port").isFalse();
        assertThat(origins.allows(URI.create("https://api.example.com.evil.test/"))).as("suffix").isFalse();
        assertThat(origins.allows(URI.create("https://evil.test/api.example.com"))).as("path").isFalse();
        assertThat(origins.allows(URI.create("https://x.api.example.com/"))).as("subdomain").isFalse();
        assertThat(origins.allows(URI.create("http://127.0.0.1:8025/x"))).isTrue();
        assertThat(origins.allows(URI.create("http://127.0.0.1:8026/x"))).isFalse();
        assertThat(origins.allows(URI.create("https://user@api.example.com/"))).as("user info is not the host")
                .isTrue();
    }

    @Test
    void wildcardCoversSubdomainsAtAnyDepthButNotTheNameItself() {
        CredentialOrigins origins = CredentialOrigins.parseList("https://*.my.example.com");
        assertThat(origins.allows(URI.create("https://acme.my.example.com/services"))).isTrue();
        assertThat(origins.allows(URI.create("https://eu.acme.my.example.com/"))).isTrue();
        assertThat(origins.allows(URI.create("https://my.example.com/"))).isFalse();
        assertThat(origins.allows(URI.create("https://acme.my.example.com.evil.test/"))).isFalse();
        assertThat(origins.allows(URI.create("https://evilmy.example.com/"))).isFalse();
        assertThat(origins.allows(URI.create("https://acme.my.example.com:8443/"))).as("port").isFalse();
        assertThat(origins.allows(URI.create("http://acme.my.example.com/"))).as("scheme").isFalse();
    }

    @Test
    void refusesWhatIsNotAnOrigin() {
        for (String bad : List.of("", "api.example.com", "ftp://api.example.com", "https://api.example.com/v1",
                "https://api.example.com?x=1", "https://user@api.example.com", "https://*.com", "https://a.*.example.com",
                "https://exa mple.com", "https://*")) {
            assertThatThrownBy(() -> CredentialOrigins.parse(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void emptyListAllowsNothing() {
        assertThat(CredentialOrigins.parseList(" , ").allows(URI.create("https://api.example.com/"))).isFalse();
        assertThat(CredentialOrigins.none().isEmpty()).isTrue();
    }

    @Test
    void ipv6LiteralsAreOrigins() {
        CredentialOrigins origins = CredentialOrigins.parseList("http://[::1]:8080");
        assertThat(origins.allows(URI.create("http://[::1]:8080/x"))).isTrue();
        assertThat(origins.allows(URI.create("http://[::2]:8080/x"))).isFalse();
    }
}
