package dev.flowline.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A small HTTP client for client-side API tests: JSON in, {@link Answer} out. */
public final class ApiClient {

    // HTTP/1.1: by default the JDK client upgrades plain-text connections to HTTP/2 (h2c), and Payara's h2c stalls
    // on a body it refuses early (413) until the client times out. Browsers and proxies do not use h2c.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final URI apiBase;

    /** {@code deploymentUrl} is Arquillian's URL of the deployed WAR. */
    public ApiClient(URL deploymentUrl) {
        String base = deploymentUrl.toString();
        this.apiBase = URI.create((base.endsWith("/") ? base : base + "/") + "api/v1/");
    }

    public URI uri(String path) {
        return apiBase.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    public Answer get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    public Answer post(String path, String json, String token) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public Answer post(String path, String json) {
        return post(path, json, null);
    }

    public Answer send(String method, String path, String contentType, String body, String token) {
        HttpRequest.Builder builder = request(path, token);
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, application/problem+json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    /** Signs up and logs in a new user; answers the session token. */
    public String signupAndLogin(String email, String password) {
        Answer signup = post("auth/signup", Json.createObjectBuilder().add("email", email).add("password", password)
                .add("name", "Test User").build().toString());
        if (signup.status() != 201) {
            throw new AssertionError("signup answered " + signup);
        }
        return login(email, password);
    }

    /**
     * Signs up a new user, verifies the address with the emailed link (as its owner would: team workspaces,
     * invitations and runs need a verified address) and logs in; answers the session token.
     */
    public String signupVerifiedAndLogin(String email, String password) {
        String token = signupAndLogin(email, password);
        String verification = Mailbox.token(email, "Confirm your email", 1);
        // verification must come from the account's own session (the link alone proves nothing about who signed up)
        Answer verified = post("auth/verify-email", Json.createObjectBuilder().add("token", verification).build()
                .toString(), token);
        if (verified.status() != 204) {
            throw new AssertionError("verify-email answered " + verified);
        }
        return token;
    }

    public String login(String email, String password) {
        Answer login = post("auth/login", Json.createObjectBuilder().add("email", email).add("password", password)
                .build().toString());
        if (login.status() != 200) {
            throw new AssertionError("login answered " + login);
        }
        return login.json().getString("token");
    }

    /** A response: status, headers (names in lower case) and body. */
    public record Answer(int status, Map<String, java.util.List<String>> headers, String body) {

        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        public String contentType() {
            return header("Content-Type").orElse("");
        }

        public JsonObject json() {
            try (JsonReader reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }

        /** The problem document's {@code type} slug, e.g. {@code email-taken}. */
        public String problemType() {
            String type = json().getString("type");
            return type.substring(type.lastIndexOf('/') + 1);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
