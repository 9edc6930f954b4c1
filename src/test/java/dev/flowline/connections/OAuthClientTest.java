package dev.flowline.connections;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The token answers of a provider on 127.0.0.1 (a JDK HttpServer), read by {@link OAuthClient}. */
class OAuthClientTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private HttpServer server;
    private volatile String answer;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aCodeExchangeAnsweredWithoutScopeGrantedTheRequestedScopes() {
        // RFC 6749 section 5.1: scope is OPTIONAL "if identical to the scope requested by the client"
        answer = "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":60}";
        TokenGrant grant = new OAuthClient().exchangeCode(provider("openid email"), "code",
                URI.create("http://localhost/cb"), "verifier", NOW);
        assertThat(grant.scopes()).isEqualTo("openid email");
        assertThat(grant.expiresAt()).contains(NOW.plusSeconds(60));

        answer = "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"scope\":\"  \"}";
        assertThat(new OAuthClient().exchangeCode(provider("openid email"), "code", URI.create("http://localhost/cb"),
                "verifier", NOW).scopes()).isEqualTo("openid email");
    }

    @Test
    void theScopeAProviderNamesIsStoredAsItSaysEvenWhenNarrower() {
        answer = "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"scope\":\"email\"}";
        assertThat(new OAuthClient().exchangeCode(provider("openid email"), "code", URI.create("http://localhost/cb"),
                "verifier", NOW).scopes()).isEqualTo("email");
        assertThat(new OAuthClient().refresh(provider("openid email"), "r", NOW).scopes()).isEqualTo("email");
    }

    @Test
    void aRefreshAnsweredWithoutScopeLeavesTheStoredScopesAlone() {
        // empty scopes tell UserOAuthTokenRepository.updateTokens to keep the row's (RFC 6749 section 6)
        answer = "{\"access_token\":\"a\",\"token_type\":\"Bearer\"}";
        TokenGrant grant = new OAuthClient().refresh(provider("openid email"), "r", NOW);
        assertThat(grant.scopes()).isEmpty();
        assertThat(grant.refreshToken()).contains("r");
    }

    private OAuthProvider provider(String scopes) {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new OAuthProvider("p", base.resolve("/authorize"), base.resolve("/token"), "id", "secret", scopes, "",
                Optional.empty(), Optional.empty(), false, CredentialOrigins.none());
    }
}
