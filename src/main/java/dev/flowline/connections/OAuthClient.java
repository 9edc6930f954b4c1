package dev.flowline.connections;

import dev.flowline.connections.ConnectionErrors.GrantRejectedException;
import dev.flowline.connections.ConnectionErrors.ProviderUnavailableException;
import dev.flowline.platform.input.ClientText;
import dev.flowline.platform.json.Jsons;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Talks to a provider's token, user-info and revocation endpoints (RFC 6749, OpenID Connect Core, RFC 7009). The
 * client authenticates with {@code client_secret_post}, or {@code client_secret_basic} when the provider says so. Errors never quote tokens or the provider's answer body,
 * only the RFC 6749 error code (a short token of safe characters).
 */
@ApplicationScoped
public class OAuthClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int MAX_ANSWER_CHARS = 65536;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** Exchanges an authorization code (with the PKCE verifier) for tokens. */
    public TokenGrant exchangeCode(OAuthProvider provider, String code, URI redirectUri, String codeVerifier,
                                   Instant now) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri.toString());
        form.put("code_verifier", codeVerifier);
        // RFC 6749 section 5.1: an answer without scope granted the scopes requested, the provider's configured ones
        return grant(provider, form, now, Optional.empty(), provider.scopes());
    }

    /**
     * Uses a refresh token; a provider that issues no new refresh token lets the old one stand, and an answer without
     * scope leaves the scopes as they were (RFC 6749 section 6: a refresh grants the original scope unless narrowed),
     * which the grant says with empty scopes.
     */
    public TokenGrant refresh(OAuthProvider provider, String refreshToken, Instant now) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        return grant(provider, form, now, Optional.of(refreshToken), "");
    }

    /** The account's email from the provider's user-info endpoint, when it has one and says so. */
    public Optional<String> accountEmail(OAuthProvider provider, String accessToken) {
        if (provider.userInfoUrl().isEmpty()) {
            return Optional.empty();
        }
        HttpRequest request = HttpRequest.newBuilder(provider.userInfoUrl().get()).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + accessToken).header("Accept", "application/json").GET().build();
        HttpResponse<String> response = send(provider, request, "user-info");
        if (response.statusCode() != 200) {
            throw new ProviderUnavailableException(provider.name() + "'s user-info endpoint answered HTTP "
                    + response.statusCode() + ".");
        }
        JsonObject body = json(provider, response.body(), "user-info");
        return body.get("email") instanceof JsonString email ? storable(email.getString()) : Optional.empty();
    }

    /**
     * Asks the provider to revoke the token (RFC 7009), when it has a revocation endpoint.
     *
     * @return false when the provider has none or did not confirm; the caller deletes locally either way
     */
    public boolean revoke(OAuthProvider provider, String token, String tokenTypeHint) {
        if (provider.revocationUrl().isEmpty()) {
            return false;
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        form.put("token_type_hint", tokenTypeHint);
        HttpRequest request = formRequest(provider, provider.revocationUrl().get(), form);
        try {
            return send(provider, request, "revocation").statusCode() == 200;
        } catch (ProviderUnavailableException e) {
            return false;
        }
    }

    private TokenGrant grant(OAuthProvider provider, Map<String, String> form, Instant now,
                             Optional<String> currentRefreshToken, String scopesWhenOmitted) {
        HttpResponse<String> response = send(provider, formRequest(provider, provider.tokenUrl(), form), "token");
        int status = response.statusCode();
        if (status == 400 || status == 401) {
            String error = errorCode(response.body()).orElse("HTTP " + status);
            throw new GrantRejectedException(provider.name() + " refused the grant: " + error + ".");
        }
        if (status != 200) {
            throw new ProviderUnavailableException(provider.name() + "'s token endpoint answered HTTP " + status + ".");
        }
        JsonObject body = json(provider, response.body(), "token");
        if (!(body.get("access_token") instanceof JsonString access) || access.getString().isEmpty()) {
            throw new ProviderUnavailableException(provider.name() + "'s token answer holds no access_token.");
        }
        Optional<String> refresh = body.get("refresh_token") instanceof JsonString value && !value.getString().isEmpty()
                ? Optional.of(value.getString()) : currentRefreshToken;
        Optional<Instant> expiresAt = body.get("expires_in") instanceof JsonNumber seconds && seconds.longValue() > 0
                ? Optional.of(now.plusSeconds(seconds.longValue())) : Optional.empty();
        String scopes = body.get("scope") instanceof JsonString scope
                ? storable(scope.getString()).orElse(scopesWhenOmitted) : scopesWhenOmitted;
        return new TokenGrant(access.getString(), refresh, expiresAt, scopes);
    }

    /** What a provider said, if PostgreSQL can store it (no NUL, no lone surrogate) and it says something. */
    private static Optional<String> storable(String text) {
        return ClientText.problem(text) == null && !text.isBlank() ? Optional.of(text.strip()) : Optional.empty();
    }

    /** A form POST authenticated as the provider wants: client id and secret in the form, or as HTTP Basic. */
    private static HttpRequest formRequest(OAuthProvider provider, URI url, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        HttpRequest.Builder builder = HttpRequest.newBuilder(url);
        if (provider.basicAuth()) {
            // RFC 6749 section 2.3.1: each part form-encoded before joining
            String credentials = URLEncoder.encode(provider.clientId(), StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(provider.clientSecret(), StandardCharsets.UTF_8);
            builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.put("client_id", provider.clientId());
            form.put("client_secret", provider.clientSecret());
        }
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return builder.timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> send(OAuthProvider provider, HttpRequest request, String endpoint) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProviderUnavailableException("Could not reach " + provider.name() + "'s " + endpoint
                    + " endpoint (" + e.getClass().getSimpleName() + ").");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException("Interrupted while calling " + provider.name() + ".");
        }
    }

    private static JsonObject json(OAuthProvider provider, String text, String endpoint) {
        if (text.length() <= MAX_ANSWER_CHARS) {
            try (JsonReader reader = Jsons.createReader(new StringReader(text))) {
                JsonValue value = reader.readValue();
                if (value instanceof JsonObject object) {
                    return object;
                }
            } catch (JsonException e) {
                // fall through: answered below without quoting the body
            }
        }
        throw new ProviderUnavailableException(provider.name() + "'s " + endpoint + " answer is not a JSON object.");
    }

    private static Optional<String> errorCode(String text) {
        if (text.length() > MAX_ANSWER_CHARS) {
            return Optional.empty();
        }
        try (JsonReader reader = Jsons.createReader(new StringReader(text))) {
            if (reader.readValue() instanceof JsonObject object && object.get("error") instanceof JsonString error
                    && ERROR_CODE.matcher(error.getString()).matches()) {
                return Optional.of(error.getString());
            }
        } catch (JsonException e) {
            // not JSON: no code to name
        }
        return Optional.empty();
    }
}
