package dev.flowline.connections.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flowline.testing.ApiClient.Answer;
import dev.flowline.testing.ApiOverHttp;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.Mailbox;
import dev.flowline.testing.Sql;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static dev.flowline.testing.Fixtures.newEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections end to end against a real OAuth 2.0 / OpenID Connect server on 127.0.0.1 (mock-oauth2-server, in this
 * JVM; the Payara process calls it): authorize with PKCE, state and the browser-binding cookie (each test's
 * {@link Browser} is a cookie jar; a callback from another jar is refused), the code exchange, user-info, refresh (on use),
 * re-authorization when a refresh is refused, revocation; sharing into a workspace, a workflow's HTTP node calling
 * an API with the shared token, and the share leaving with its member. Tokens are checked in the rows: never clear.
 */
class ConnectionsApiIT extends ApiOverHttp {

    private static final String ISSUER = "local";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static MockOAuth2Server provider;
    private static HttpServer strictTokens;
    private static volatile boolean refuseRefresh;
    private static volatile String strictEmail = "strict@provider.test";
    private static volatile int strictExpiresIn = 3600;
    private static final AtomicInteger strictRefreshes = new AtomicInteger();
    /** The Authorization headers that reached a host outside every provider's api-origins. */
    private static final List<String> collected = new CopyOnWriteArrayList<>();
    /** The query strings that reached the test's collector. */
    private static final List<String> collectedQueries = new CopyOnWriteArrayList<>();
    private static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Deployment(testable = false)
    static WebArchive deployment() {
        provider = new MockOAuth2Server();
        try {
            provider.start(InetAddress.getByName("127.0.0.1"), 0);
            strictTokens = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        strictTokens.createContext("/token", ConnectionsApiIT::strictToken);
        strictTokens.createContext("/collect", exchange -> {
            collected.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            collectedQueries.add(String.valueOf(exchange.getRequestURI().getRawQuery()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        strictTokens.start();
        return Deployments.withConfig(Deployments.product(),
                "flowline.oauth.providers=local,other,strict",
                // "strict": the same authorization page and user-info, a token endpoint the test controls
                "flowline.oauth.strict.authorize-url=" + provider.authorizationEndpointUrl(ISSUER),
                "flowline.oauth.strict.token-url=http://127.0.0.1:" + strictTokens.getAddress().getPort() + "/token",
                "flowline.oauth.strict.userinfo-url=" + provider.userInfoUrl(ISSUER),
                "flowline.oauth.strict.scopes=openid email",
                "flowline.oauth.strict.client-id=flowline-test",
                "flowline.oauth.strict.client-secret=test client/secret",
                "flowline.oauth.strict.client-auth=basic",
                "flowline.oauth.strict.api-origins=" + origin(provider.userInfoUrl(ISSUER).toString()),
                "flowline.oauth.local.authorize-url=" + provider.authorizationEndpointUrl(ISSUER),
                "flowline.oauth.local.token-url=" + provider.tokenEndpointUrl(ISSUER),
                "flowline.oauth.local.userinfo-url=" + provider.userInfoUrl(ISSUER),
                "flowline.oauth.local.revocation-url=" + provider.revocationEndpointUrl(ISSUER),
                "flowline.oauth.local.client-id=flowline-test",
                "flowline.oauth.local.client-secret=test-client-secret",
                "flowline.oauth.local.scopes=openid email",
                "flowline.oauth.local.api-origins=" + origin(provider.userInfoUrl(ISSUER).toString()),
                "flowline.oauth.other.authorize-url=" + provider.authorizationEndpointUrl("other"),
                "flowline.oauth.other.token-url=" + provider.tokenEndpointUrl("other"),
                "flowline.oauth.other.client-id=flowline-test",
                "flowline.oauth.other.client-secret=test-client-secret",
                // the HTTP node may call the provider's user-info endpoint: it stands in for "a local API"
                "flowline.engine.http.allowed-networks=127.0.0.1/32",
                "flowline.connections.enabled=false");
    }

    @AfterAll
    static void stopProvider() {
        if (provider != null) {
            provider.shutdown();
        }
        if (strictTokens != null) {
            strictTokens.stop(0);
        }
    }

    /**
     * The strict provider's token endpoint: refuses the code "not-a-code" and, while {@link #refuseRefresh} is set,
     * every refresh (RFC 6749 {@code invalid_grant}); otherwise answers tokens the real provider signed, so its
     * user-info endpoint accepts them.
     */
    private static void strictToken(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if ("refresh_token".equals(form.get("grant_type"))) {
            strictRefreshes.incrementAndGet();
            sleep(300); // a slow provider: concurrent users of the token arrive while the refresh is under way
        }
        // client_secret_basic: the form-encoded id and secret as HTTP Basic, and no secret in the form
        String basic = "Basic " + Base64.getEncoder().encodeToString("flowline-test:test+client%2Fsecret"
                .getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization")) || form.containsKey("client_secret")) {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        boolean refused = "not-a-code".equals(form.get("code"))
                || ("refresh_token".equals(form.get("grant_type")) && refuseRefresh);
        String body = refused ? "{\"error\":\"invalid_grant\",\"error_description\":\"no\"}"
                : Json.createObjectBuilder()
                .add("access_token", provider.issueToken(ISSUER, "flowline-test", new DefaultOAuth2TokenCallback(ISSUER,
                        "strict-subject", "JWT", List.of("flowline-test"), Map.of("email", strictEmail), 3600)).serialize())
                .add("refresh_token", "refresh-" + UUID.randomUUID())
                .add("token_type", "Bearer")
                .add("expires_in", strictExpiresIn).build().toString();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(refused ? 400 : 200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** The browser of the signed-in user in each test: it starts the authorizations and the provider returns to it. */
    private Browser browser;

    @BeforeEach
    void forgetRecordedRequests() {
        drainRequests();
        browser = new Browser();
    }

    // --- connecting ---

    @Test
    void aUserConnectsAnAccountWithPkceAndTheTokensAreStoredEncrypted() throws Exception {
        String token = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String accountEmail = "ann-" + UUID.randomUUID() + "@provider.test";

        Answer authorize = browser.get("connections/local/authorize", token);
        assertThat(authorize.status()).as(authorize.toString()).isEqualTo(302);
        URI location = URI.create(authorize.header("Location").orElseThrow());
        assertThat(authorize.json().getString("authorizeUrl")).isEqualTo(location.toString());
        Map<String, String> query = query(location);
        assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", "flowline-test")
                .containsEntry("code_challenge_method", "S256").containsEntry("scope", "openid email")
                .containsKeys("state", "code_challenge", "redirect_uri");

        // the browser binding: a cookie of this state only, HttpOnly, Lax (it must survive the provider's redirect
        // back), under the callbacks' path, living as long as the state; the row keeps only the nonce's hash
        Map<String, String> binding = bindingCookie(authorize);
        assertThat(binding).containsEntry("httponly", "").containsEntry("max-age", "600")
                .containsEntry("path", "/api/v1/connections/");
        assertThat(binding.get("samesite")).isEqualToIgnoringCase("Lax");
        assertThat(binding.get("value")).matches("[A-Za-z0-9_-]{43}");
        assertThat(Sql.column("SELECT browser_nonce_hash FROM oauth_authorizations WHERE state_hash = ?",
                sha256Hex(query.get("state")))).containsExactly(sha256Hex(binding.get("value")));

        provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, "subject-ann", "JWT",
                List.of("flowline-test"), Map.of("email", accountEmail), 3600));
        Answer callback = callback("local", providerRedirect(location));
        assertThat(callback.status()).as(callback.toString()).isEqualTo(303);
        JsonObject connection = callback.json();
        assertThat(connection.getString("provider")).isEqualTo("local");
        assertThat(connection.getString("accountEmail")).isEqualTo(accountEmail);
        assertThat(connection.getBoolean("needsReauthorization")).isFalse();
        assertThat(callback.header("Location")).hasValueSatisfying(l ->
                assertThat(l).endsWith("/connections?connection=" + connection.getString("id")));

        // PKCE for real: the verifier sent to the token endpoint hashes to the challenge of the authorize URL
        RecordedRequest exchange = takeRequest(r -> r.getPath().endsWith("/token"));
        Map<String, String> form = form(exchange.getBody().readUtf8());
        assertThat(form).containsEntry("grant_type", "authorization_code").containsEntry("client_id", "flowline-test");
        assertThat(s256(form.get("code_verifier"))).isEqualTo(query.get("code_challenge"));

        Answer mine = api.get("me/connections", token);
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.json().getJsonArray("items")).hasSize(1);
        assertThat(mine.body()).doesNotContain("eyJ").doesNotContain("accessToken").doesNotContain("refreshToken");

        // In the row: versioned ciphertexts, no JWT (the provider's tokens are JWTs, "eyJ..."), nothing of the secret
        List<Object> row = Sql.row("SELECT access_token_enc, refresh_token_enc, workspace_id, is_shared"
                + " FROM user_oauth_tokens WHERE id = ?::uuid", connection.getString("id"));
        assertThat((String) row.get(0)).startsWith("v1:").doesNotContain("eyJ");
        assertThat((String) row.get(1)).startsWith("v1:");
        assertThat(row.get(2)).isNull();
        assertThat(row.get(3)).isEqualTo(false);
        assertThat(Sql.column("SELECT count(*)::text FROM oauth_authorizations WHERE user_id = "
                + "(SELECT owner_user_id FROM user_oauth_tokens WHERE id = ?::uuid)", connection.getString("id")))
                .containsExactly("0");
        // the callback's answer removes the cookie from the browser
        assertThat(setCookies(callback).get(binding.get("name"))).containsEntry("max-age", "0");
        assertThat(browser.cookies).isEmpty();
    }

    @Test
    void aCallbackFinishedInAnotherBrowserStoresNothingForAnyoneAndUsesTheStateUp() throws Exception {
        // An attacker starts an authorization and sends its provider URL to a victim, whose consent would otherwise
        // store the victim's provider account in the attacker's connections.
        String attackerToken = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String victimToken = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        Browser attackers = new Browser();
        Browser victims = new Browser();
        String attackerId = api.get("me", attackerToken).json().getString("id");
        String victimId = api.get("me", victimToken).json().getString("id");

        // the victim's browser brings no cookie at all
        Map<String, String> lured = providerRedirect(authorizeLocation(attackers, attackerToken, "local"));
        Answer noCookie = callback(victims, "local", lured);
        assertThat(noCookie.status()).as(noCookie.toString()).isEqualTo(400);
        assertThat(noCookie.contentType()).startsWith("application/problem+json");
        assertThat(noCookie.problemType()).isEqualTo("authorization-not-from-this-browser");
        assertThat(noCookie.json().getString("title")).isEqualTo("Authorization started in another browser");
        assertThat(setCookies(noCookie).get(BROWSER_COOKIE_PREFIX + stateCookieSuffix(lured.get("state"))))
                .containsEntry("max-age", "0");
        // used up: not even the browser that started it can finish it now
        Answer replayed = callback(attackers, "local", lured);
        assertThat(replayed.problemType()).isEqualTo("invalid-oauth-state");

        // the victim's browser brings a cookie, but not the one of this state: its own authorization's, and a forged
        // one under this state's name
        authorizeLocation(victims, victimToken, "local");
        assertThat(victims.cookies).hasSize(1);
        String victimsOwn = victims.cookies.values().iterator().next();
        Map<String, String> luredAgain = providerRedirect(authorizeLocation(attackers, attackerToken, "local"));
        victims.cookies.put(BROWSER_COOKIE_PREFIX + stateCookieSuffix(luredAgain.get("state")), victimsOwn);
        Answer wrongCookie = callback(victims, "local", luredAgain);
        assertThat(wrongCookie.status()).as(wrongCookie.toString()).isEqualTo(400);
        assertThat(wrongCookie.problemType()).isEqualTo("authorization-not-from-this-browser");
        assertThat(callback(attackers, "local", luredAgain).problemType()).isEqualTo("invalid-oauth-state");

        // nothing stored for anyone: no token row of either user, no connection listed on either side
        assertThat(Sql.column("SELECT count(*)::text FROM user_oauth_tokens WHERE owner_user_id IN (?::uuid, ?::uuid)",
                attackerId, victimId)).containsExactly("0");
        assertThat(api.get("me/connections", attackerToken).json().getJsonArray("items")).isEmpty();
        assertThat(api.get("me/connections", victimToken).json().getJsonArray("items")).isEmpty();
        // the exchange never happened: the provider saw no token request for these codes
        assertThat(pollFor(r -> r.getPath().endsWith("/token"))).isNull();
    }

    @Test
    void twoAuthorizationsStartedInTwoTabsOfOneBrowserBothComplete() {
        String token = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        URI first = authorizeLocation(token, "local");
        URI second = authorizeLocation(token, "local");
        assertThat(browser.cookies).as("one cookie per state").hasSize(2);
        String firstAccount = "t1-" + UUID.randomUUID() + "@provider.test";
        String secondAccount = "t2-" + UUID.randomUUID() + "@provider.test";

        provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, "subject-t2", "JWT",
                List.of("flowline-test"), Map.of("email", secondAccount), 3600));
        Answer secondDone = callback("local", providerRedirect(second));
        assertThat(secondDone.status()).as(secondDone.toString()).isEqualTo(303);
        assertThat(browser.cookies).as("the first tab's cookie stays").hasSize(1);
        provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, "subject-t1", "JWT",
                List.of("flowline-test"), Map.of("email", firstAccount), 3600));
        Answer firstDone = callback("local", providerRedirect(first));
        assertThat(firstDone.status()).as(firstDone.toString()).isEqualTo(303);
        assertThat(api.get("me/connections", token).json().getJsonArray("items").stream()
                .map(c -> ((JsonObject) c).getString("accountEmail"))).containsExactlyInAnyOrder(firstAccount, secondAccount);

        // the JSON form (redirect=false, for a front end's fetch) sets the same kind of cookie and answers 200
        Answer json = browser.get("connections/local/authorize?redirect=false", token);
        assertThat(json.status()).as(json.toString()).isEqualTo(200);
        assertThat(json.header("Location")).isEmpty();
        assertThat(bindingCookie(json)).containsEntry("httponly", "");
        provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, "subject-t1", "JWT",
                List.of("flowline-test"), Map.of("email", firstAccount), 3600));
        Answer jsonDone = callback("local", providerRedirect(URI.create(json.json().getString("authorizeUrl"))));
        assertThat(jsonDone.status()).as(jsonDone.toString()).isEqualTo(303);
    }

    @Test
    void connectingTheSameAccountAgainReplacesItsTokensInPlace() throws Exception {
        String token = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String accountEmail = "bo-" + UUID.randomUUID() + "@provider.test";
        String first = connect(token, accountEmail, 3600).getString("id");
        String before = Sql.column("SELECT access_token_enc FROM user_oauth_tokens WHERE id = ?::uuid", first).get(0);
        String second = connect(token, accountEmail.toUpperCase(), 3600).getString("id");
        assertThat(second).isEqualTo(first);
        assertThat(api.get("me/connections", token).json().getJsonArray("items")).hasSize(1);
        assertThat(Sql.column("SELECT access_token_enc FROM user_oauth_tokens WHERE id = ?::uuid", first).get(0))
                .isNotEqualTo(before);
    }

    @Test
    void aWrongReplayedOrExpiredStateAProviderErrorAndAMissingCodeAre400AndStoreNothing() throws Exception {
        String token = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String userId = api.get("me", token).json().getString("id");

        Answer unknown = api.get("connections/local/callback?code=abc&state=" + "x".repeat(43), null);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.problemType()).isEqualTo("invalid-oauth-state");
        assertThat(api.get("connections/local/callback?code=abc", null).problemType()).isEqualTo("invalid-oauth-state");

        Map<String, String> redirect = providerRedirect(authorizeLocation(token, "local"));
        assertThat(callback("local", redirect).status()).isEqualTo(303);
        Answer replayed = callback("local", redirect);
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(replayed.problemType()).isEqualTo("invalid-oauth-state");

        String state = query(authorizeLocation(token, "local")).get("state");
        Answer denied = browser.get("connections/local/callback?error=access_denied&state=" + state, null);
        assertThat(denied.status()).isEqualTo(400);
        assertThat(denied.problemType()).isEqualTo("oauth-provider-error");
        assertThat(denied.contentType()).startsWith("application/problem+json");

        String another = query(authorizeLocation(token, "local")).get("state");
        Answer noCode = browser.get("connections/local/callback?state=" + another, null);
        assertThat(noCode.status()).isEqualTo(400);
        assertThat(noCode.problemType()).isEqualTo("oauth-code-missing");

        String forOther = query(authorizeLocation(token, "other")).get("state");
        Answer wrongProvider = browser.get("connections/local/callback?code=abc&state=" + forOther, null);
        assertThat(wrongProvider.problemType()).isEqualTo("invalid-oauth-state");

        String expiring = query(authorizeLocation(token, "local")).get("state");
        Sql.update("UPDATE oauth_authorizations SET expires_at = now() - interval '1 second' WHERE user_id = ?::uuid",
                userId);
        Answer expired = browser.get("connections/local/callback?code=abc&state=" + expiring, null);
        assertThat(expired.problemType()).isEqualTo("invalid-oauth-state");
        assertThat(expired.json().getString("detail")).contains("expired");

        Answer rejected = browser.get("connections/strict/callback?code=not-a-code&state="
                + query(authorizeLocation(token, "strict")).get("state"), null);
        assertThat(rejected.status()).as(rejected.toString()).isEqualTo(400);
        assertThat(rejected.problemType()).isEqualTo("oauth-grant-rejected");
        assertThat(rejected.json().getString("detail")).contains("invalid_grant");

        assertThat(api.get("me/connections", token).json().getJsonArray("items")).hasSize(1);
        assertThat(api.get("connections/nope/authorize", token).status()).isEqualTo(404);

        // repeated clicks keep at most ten authorizations in flight: the oldest go first
        String oldest = query(authorizeLocation(token, "local")).get("state");
        for (int i = 0; i < 11; i++) {
            authorizeLocation(token, "local");
        }
        assertThat(Sql.column("SELECT count(*)::text FROM oauth_authorizations WHERE user_id = ?::uuid", userId))
                .containsExactly("10");
        assertThat(browser.get("connections/local/callback?code=abc&state=" + oldest, null).problemType())
                .isEqualTo("invalid-oauth-state");
    }

    // --- sharing and using ---

    @Test
    void aSharedConnectionIsUsedByAWorkflowRefreshedWhenDueAndLeavesWithItsMember() throws Exception {
        String ownerToken = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String workspace = api.post("workspaces", "{\"name\":\"Connected " + UUID.randomUUID() + "\"}", ownerToken)
                .json().getString("id");
        String memberEmail = newEmail();
        String memberToken = api.signupVerifiedAndLogin(memberEmail, PASSWORD);
        String memberId = api.get("me", memberToken).json().getString("id");
        join(ownerToken, workspace, memberEmail, memberToken);

        // a token that expires within the refresh margin: its first use refreshes it
        String accountEmail = "cy-" + UUID.randomUUID() + "@provider.test";
        JsonObject personal = connect(memberToken, accountEmail, 30);
        Answer shared = api.post("workspaces/" + workspace + "/connections",
                "{\"connectionId\":\"" + personal.getString("id") + "\"}", memberToken);
        assertThat(shared.status()).as(shared.toString()).isEqualTo(201);
        String connectionId = shared.json().getString("id");
        assertThat(shared.json().getString("name")).isEqualTo("local (" + accountEmail + ")");
        assertThat(shared.json().getString("sharedBy")).isEqualTo(memberId);
        assertThat(api.post("workspaces/" + workspace + "/connections",
                "{\"connectionId\":\"" + personal.getString("id") + "\"}", memberToken).status()).isEqualTo(409);
        assertThat(api.get("me/connections", memberToken).json().getJsonArray("items").getJsonObject(0)
                .getBoolean("shared")).isTrue();
        JsonArray listed = api.get("workspaces/" + workspace + "/connections", ownerToken).json().getJsonArray("items");
        assertThat(listed).hasSize(1);
        assertThat(listed.getJsonObject(0).getString("id")).isEqualTo(connectionId);

        // the owner cannot share the member's connection, and an outsider sees nothing
        assertThat(api.post("workspaces/" + workspace + "/connections",
                "{\"connectionId\":\"" + personal.getString("id") + "\"}", ownerToken).status()).isEqualTo(403);
        String outsider = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        assertThat(api.get("workspaces/" + workspace + "/connections", outsider).status()).isEqualTo(403);
        assertThat(api.send("DELETE", "me/connections/" + personal.getString("id"), null, null, outsider).status())
                .isEqualTo(404);

        // the owner's workflow calls an API (the provider's user-info) with the member's shared token
        String refreshedBefore = Sql.column("SELECT refreshed_at::text FROM user_oauth_tokens WHERE id = ?::uuid",
                personal.getString("id")).get(0);
        String workflowId = userInfoWorkflow(ownerToken, workspace, connectionId);
        drainRequests();
        JsonObject run = runToEnd(ownerToken, workspace, workflowId);
        assertThat(run.getString("status")).as(run.toString()).isEqualTo("SUCCEEDED");
        JsonObject call = run.getJsonArray("steps").getJsonObject(1);
        assertThat(call.getJsonObject("output").getJsonObject("body").getString("email")).isEqualTo(accountEmail);
        assertThat(call.toString()).doesNotContain("eyJ");
        RecordedRequest refresh = takeRequest(r -> r.getPath().endsWith("/token"));
        assertThat(form(refresh.getBody().readUtf8())).containsEntry("grant_type", "refresh_token");
        assertThat(Sql.column("SELECT refreshed_at::text FROM user_oauth_tokens WHERE id = ?::uuid",
                personal.getString("id")).get(0)).isNotEqualTo(refreshedBefore);

        // the member is removed: the share goes in the same transaction, the flag follows, runs fail visibly
        assertThat(api.send("DELETE", "workspaces/" + workspace + "/members/" + memberId, null, null, ownerToken)
                .status()).isEqualTo(204);
        assertThat(Sql.column("SELECT count(*)::text FROM workspace_connections WHERE workspace_id = ?::uuid", workspace))
                .containsExactly("0");
        assertThat(Sql.column("SELECT is_shared::text FROM user_oauth_tokens WHERE id = ?::uuid",
                personal.getString("id"))).containsExactly("false");
        JsonObject after = runToEnd(ownerToken, workspace, workflowId);
        assertThat(after.getString("status")).isEqualTo("DEAD_LETTERED");
        assertThat(after.getString("error")).contains("connection").doesNotContain("eyJ");
    }

    @Test
    void aRefusedRefreshMarksTheConnectionForReauthorizationAndReconnectingClearsIt() throws Exception {
        String token = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String workspace = personalWorkspace(token);
        strictEmail = "di-" + UUID.randomUUID() + "@provider.test";
        strictExpiresIn = 30;
        String connectionId = callbackOf("strict", token).json().getString("id");
        String workflowId = userInfoWorkflow(token, workspace, connectionId);

        refuseRefresh = true;
        try {
            JsonObject run = runToEnd(token, workspace, workflowId);
            assertThat(run.getString("status")).isEqualTo("DEAD_LETTERED");
            assertThat(run.getString("error")).contains("authorized again");
            JsonObject shown = api.get("me/connections", token).json().getJsonArray("items").getJsonObject(0);
            assertThat(shown.getBoolean("needsReauthorization")).isTrue();
            assertThat(shown.getString("lastError")).contains("invalid_grant");
        } finally {
            refuseRefresh = false;
            strictExpiresIn = 3600;
        }

        assertThat(callbackOf("strict", token).json().getString("id")).isEqualTo(connectionId);
        JsonObject reconnected = api.get("me/connections", token).json().getJsonArray("items").getJsonObject(0);
        assertThat(reconnected.getBoolean("needsReauthorization")).isFalse();
        JsonObject run = runToEnd(token, workspace, workflowId);
        assertThat(run.getString("status")).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.getJsonArray("steps").getJsonObject(1).getJsonObject("output").getJsonObject("body")
                .getString("email")).isEqualTo(strictEmail);
    }

    @Test
    void concurrentRunsNeedingOneExpiringTokenMakeOneRefresh() throws Exception {
        String token = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String workspace = personalWorkspace(token);
        strictEmail = "gu-" + UUID.randomUUID() + "@provider.test";
        strictExpiresIn = 30;
        String connectionId;
        try {
            JsonObject connected = callbackOf("strict", token).json();
            connectionId = connected.getString("id");
            assertThat(connected.getString("scopes")).isEqualTo("openid email");
        } finally {
            strictExpiresIn = 3600;
        }
        String workflowId = userInfoWorkflow(token, workspace, connectionId);
        strictRefreshes.set(0);

        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Answer started = api.post("workspaces/" + workspace + "/workflows/" + workflowId + "/runs", "{}", token);
            assertThat(started.status()).isEqualTo(201);
            runs.add(started.json().getString("id"));
        }
        for (String runId : runs) {
            JsonObject run = awaitEnd(token, "workspaces/" + workspace + "/runs/" + runId);
            assertThat(run.getString("status")).as(run.toString()).isEqualTo("SUCCEEDED");
        }
        assertThat(strictRefreshes.get()).as("refreshes of the one token").isEqualTo(1);
        // the strict provider answers without scope: the requested scopes (RFC 6749 5.1), unchanged by the refresh
        assertThat(Sql.column("SELECT scopes FROM user_oauth_tokens WHERE id = ?::uuid", connectionId))
                .containsExactly("openid email");
    }

    /**
     * A workflow naming a connection but a URL outside its provider's api-origins (here the test's own server on
     * 127.0.0.1, while the provider's API is at localhost) fails without sending anything: the token never leaves
     * for a host its owner did not connect it to.
     */
    @Test
    void aConnectionsTokenIsSentOnlyToItsProvidersApiOrigins() {
        String token = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String workspace = personalWorkspace(token);
        String connectionId = callbackOf("local", token).json().getString("id");
        String collector = "http://127.0.0.1:" + strictTokens.getAddress().getPort() + "/collect";
        String body = """
                {"name":"Exfiltrate","definition":{"nodes":[
                  {"id":"start","type":"trigger.manual","params":{}},
                  {"id":"send","type":"http.request","params":{"url":"%s","connectionId":"%s"}}],
                 "edges":[{"from":"start","to":"send"}]}}""".formatted(collector, connectionId);
        Answer created = api.post("workspaces/" + workspace + "/workflows", body, token);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        collected.clear();

        JsonObject run = runToEnd(token, workspace, created.json().getString("id"));

        assertThat(run.getString("status")).as(run.toString()).isEqualTo("DEAD_LETTERED");
        assertThat(run.getString("error")).isEqualTo("connection " + connectionId + " may not be sent to http://127.0.0.1:"
                + strictTokens.getAddress().getPort() + ": that origin is not in flowline.oauth.local.api-origins;"
                + " the request was not sent");
        assertThat(run.getJsonArray("steps")).as("not retried").hasSize(2);
        assertThat(collected).isEmpty();
    }

    @Test
    void disconnectingRevokesAtTheProviderAndDeletesTheConnectionAndItsShares() throws Exception {
        String token = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String workspace = api.post("workspaces", "{\"name\":\"Revoking " + UUID.randomUUID() + "\"}", token)
                .json().getString("id");
        String connectionId = connect(token, "ed-" + UUID.randomUUID() + "@provider.test", 3600).getString("id");
        assertThat(api.post("workspaces/" + workspace + "/connections",
                "{\"connectionId\":\"" + connectionId + "\",\"name\":\"Ed's calendar\"}", token).status()).isEqualTo(201);
        drainRequests();

        assertThat(api.send("DELETE", "me/connections/" + connectionId, null, null, token).status()).isEqualTo(204);
        RecordedRequest revoke = takeRequest(r -> r.getPath().endsWith("/revoke"));
        assertThat(form(revoke.getBody().readUtf8())).containsEntry("token_type_hint", "refresh_token")
                .containsKey("token");
        assertThat(Sql.column("SELECT count(*)::text FROM user_oauth_tokens WHERE id = ?::uuid", connectionId))
                .containsExactly("0");
        assertThat(api.get("workspaces/" + workspace + "/connections", token).json().getJsonArray("items")).isEmpty();
        assertThat(api.send("DELETE", "me/connections/" + connectionId, null, null, token).status()).isEqualTo(404);
    }

    @Test
    void aSoloPlanCannotShare() throws Exception {
        String token = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String connectionId = connect(token, "fa-" + UUID.randomUUID() + "@provider.test", 3600).getString("id");
        String workspace = api.post("workspaces", "{\"name\":\"Solo " + UUID.randomUUID() + "\"}", token)
                .json().getString("id");
        Sql.update("UPDATE workspaces SET plan_tier = 'SOLO' WHERE id = ?::uuid", workspace);
        Answer refused = api.post("workspaces/" + workspace + "/connections",
                "{\"connectionId\":\"" + connectionId + "\"}", token);
        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.problemType()).isEqualTo("shared-connections-not-in-plan");
        assertThat(Sql.column("SELECT count(*)::text FROM workspace_connections WHERE workspace_id = ?::uuid", workspace))
                .containsExactly("0");
    }

    // --- credentials that are not OAuth ---

    /**
     * A workflow names a credential: the node adds its key (here as a query parameter) to a request to a listed
     * origin, the step records the credential's id and never the key, and a URL on another origin fails without
     * anything sent. A literal secret header in a definition is refused when it is saved.
     */
    @Test
    void aWorkflowSendsACredentialOnlyToItsOriginsAndItsStepsNeverHoldIt() {
        String token = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String workspace = personalWorkspace(token);
        String key = "key-" + UUID.randomUUID();
        String collectorOrigin = "http://127.0.0.1:" + strictTokens.getAddress().getPort();
        Answer created = api.post("me/credentials", """
                {"name":"Collector","kind":"api-key","origins":["%s"],
                 "secret":{"in":"query","name":"api_key","value":"%s"}}""".formatted(collectorOrigin, key), token);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String credentialId = created.json().getString("id");
        collected.clear();
        collectedQueries.clear();

        JsonObject run = runToEnd(token, workspace, credentialWorkflow(token, workspace,
                collectorOrigin + "/collect?page=1", credentialId));

        assertThat(run.getString("status")).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(collectedQueries).containsExactly("page=1&api_key=" + key);
        JsonObject step = run.getJsonArray("steps").getJsonObject(1);
        assertThat(step.getJsonObject("input").getString("credentialId")).isEqualTo(credentialId);
        assertThat(run.toString()).doesNotContain(key);

        String elsewhere = origin(provider.userInfoUrl(ISSUER).toString()) + "/collect";
        JsonObject refused = runToEnd(token, workspace, credentialWorkflow(token, workspace, elsewhere, credentialId));
        assertThat(refused.getString("status")).as(refused.toString()).isEqualTo("DEAD_LETTERED");
        assertThat(refused.getString("error")).isEqualTo("credential " + credentialId + " may not be sent to "
                + origin(provider.userInfoUrl(ISSUER).toString()) + ": that origin is not in the credential's origins;"
                + " the request was not sent");
        assertThat(collectedQueries).hasSize(1);

        Answer literal = api.post("workspaces/" + workspace + "/workflows", """
                {"name":"Literal","definition":{"nodes":[
                  {"id":"start","type":"trigger.manual","params":{}},
                  {"id":"send","type":"http.request","params":{"url":"%s","headers":{"X-Api-Key":"%s"}}}],
                 "edges":[{"from":"start","to":"send"}]}}""".formatted(collectorOrigin, key), token);
        assertThat(literal.status()).isEqualTo(400);
        assertThat(literal.body()).contains("definition.nodes[send].params.headers.X-Api-Key", "credential")
                .doesNotContain(key);
    }

    private String credentialWorkflow(String token, String workspace, String url, String credentialId) {
        Answer created = api.post("workspaces/" + workspace + "/workflows", """
                {"name":"With a credential","definition":{"nodes":[
                  {"id":"start","type":"trigger.manual","params":{}},
                  {"id":"send","type":"http.request","params":{"url":"%s","credentialId":"%s"}}],
                 "edges":[{"from":"start","to":"send"}]},
                 "retryPolicy":{"maxAttempts":1,"backoff":"FIXED","initialDelaySeconds":1,"maxDelaySeconds":1}}"""
                .formatted(url, credentialId), token);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().getString("id");
    }

    @Test
    void aCredentialIsWriteOnlyEncryptedAtRestAndOnlyItsOwnerChangesIt() throws Exception {
        String token = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String key = "sk_live_" + UUID.randomUUID();
        Answer created = api.post("me/credentials", """
                {"name":"Stripe","kind":"api-key","origins":["HTTPS://API.Stripe.com:443/"],
                 "secret":{"in":"header","name":"X-Api-Key","value":"%s"}}""".formatted(key), token);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().getString("id");
        assertThat(created.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/me/credentials/" + id));
        assertThat(created.header("ETag")).contains("\"0\"");
        assertThat(created.json().getString("kind")).isEqualTo("api-key");
        assertThat(created.json().getJsonArray("origins").getString(0)).isEqualTo("https://api.stripe.com");
        assertThat(created.json().getJsonObject("apiKey").getString("in")).isEqualTo("header");
        assertThat(created.json().getJsonObject("apiKey").getString("name")).isEqualTo("X-Api-Key");
        assertThat(created.json().getBoolean("shared")).isFalse();

        Answer headers = api.post("me/credentials", """
                {"name":"Tenant","kind":"headers","origins":["https://*.example.com"],
                 "secret":{"headers":{"X-Tenant":"acme-%s","Cookie":"sid=%s"}}}""".formatted(key, key), token);
        assertThat(headers.status()).as(headers.toString()).isEqualTo(201);
        assertThat(headers.json().getJsonArray("headerNames")).hasSize(2);

        Answer list = api.get("me/credentials", token);
        Answer one = api.get("me/credentials/" + id, token);
        assertThat(list.json().getJsonArray("items")).hasSize(2);
        assertThat(one.header("ETag")).contains("\"0\"");
        for (Answer answer : List.of(created, headers, list, one)) {
            assertThat(answer.body()).doesNotContain(key).doesNotContain("\"value\"").doesNotContain("secret");
        }
        // In the row: a versioned ciphertext, nothing of the key
        List<Object> row = Sql.row("SELECT secret_enc, row_to_json(t)::text FROM user_credentials t WHERE id = ?::uuid", id);
        assertThat((String) row.get(0)).startsWith("v1:");
        assertThat((String) row.get(1)).doesNotContain(key).doesNotContain("sk_live");

        // another user sees nothing of it
        String stranger = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        assertThat(api.get("me/credentials/" + id, stranger).status()).isEqualTo(404);
        assertThat(api.send("PATCH", "me/credentials/" + id, "application/json", "{\"name\":\"Mine\"}", stranger).status())
                .isEqualTo(404);
        assertThat(api.send("DELETE", "me/credentials/" + id, null, null, stranger).status()).isEqualTo(404);
        assertThat(api.get("me/credentials", stranger).json().getJsonArray("items")).isEmpty();

        // bad input names its field and stores nothing
        Answer badOrigin = api.post("me/credentials", """
                {"name":"x","kind":"bearer","origins":["https://ok.example.com","ftp://nope.example.com"],
                 "secret":{"token":"t"}}""", token);
        assertThat(badOrigin.status()).isEqualTo(400);
        assertThat(badOrigin.body()).contains("origins[1]");
        Answer noOrigin = api.post("me/credentials", """
                {"name":"x","kind":"bearer","origins":[],"secret":{"token":"t"}}""", token);
        assertThat(noOrigin.status()).isEqualTo(400);
        Answer badHeader = api.post("me/credentials", """
                {"name":"x","kind":"api-key","origins":["https://a.example.com"],
                 "secret":{"in":"header","name":"Host","value":"v"}}""", token);
        assertThat(badHeader.status()).isEqualTo(400);
        assertThat(badHeader.body()).contains("secret.name");
        Answer injected = api.post("me/credentials", """
                {"name":"x","kind":"bearer","origins":["https://a.example.com"],"secret":{"token":"a\\r\\nX-Evil: 1"}}""", token);
        assertThat(injected.status()).isEqualTo(400);
        assertThat(injected.body()).contains("secret.token").doesNotContain("X-Evil");
        Answer wrongKind = api.post("me/credentials", """
                {"name":"x","kind":"bearer","origins":["https://a.example.com"],"secret":{"username":"u"}}""", token);
        assertThat(wrongKind.status()).isEqualTo(400);
        assertThat(wrongKind.body()).contains("secret.token", "secret.username");
        assertThat(api.post("me/credentials", """
                {"name":"x","kind":"oauth","origins":["https://a.example.com"],"secret":{"token":"t"}}""", token)
                .status()).isEqualTo(400);
        assertThat(api.get("me/credentials", token).json().getJsonArray("items")).hasSize(2);

        // the secret is replaced whole; If-Match guards against a change made meanwhile
        String before = (String) row.get(0);
        String newKey = "sk_live_" + UUID.randomUUID();
        Answer replaced = api.send(api.request("me/credentials/" + id, token).header("Content-Type", "application/json")
                .header("If-Match", "\"0\"").method("PATCH", HttpRequest.BodyPublishers.ofString("""
                        {"name":"Stripe live","secret":{"in":"query","name":"api_key","value":"%s"}}""".formatted(newKey)))
                .build());
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.header("ETag")).contains("\"1\"");
        assertThat(replaced.json().getString("name")).isEqualTo("Stripe live");
        assertThat(replaced.json().getJsonObject("apiKey").getString("in")).isEqualTo("query");
        assertThat(replaced.body()).doesNotContain(newKey);
        String after = Sql.column("SELECT secret_enc FROM user_credentials WHERE id = ?::uuid", id).get(0);
        assertThat(after).startsWith("v1:").isNotEqualTo(before).doesNotContain(newKey);
        Answer stale = api.send(api.request("me/credentials/" + id, token).header("Content-Type", "application/json")
                .header("If-Match", "\"0\"").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"Late\"}"))
                .build());
        assertThat(stale.status()).isEqualTo(412);
        assertThat(api.send("PATCH", "me/credentials/" + id, "application/json", "{}", token).status()).isEqualTo(400);
        assertThat(api.send("PATCH", "me/credentials/" + id, "application/json",
                "{\"secret\":{\"token\":\"t\"}}", token).status()).as("the kind stays").isEqualTo(400);

        assertThat(api.send("DELETE", "me/credentials/" + id, null, null, token).status()).isEqualTo(204);
        assertThat(api.get("me/credentials/" + id, token).status()).isEqualTo(404);
        assertThat(Sql.column("SELECT count(*)::text FROM user_credentials WHERE id = ?::uuid", id)).containsExactly("0");
    }

    @Test
    void aSharedCredentialIsListedWithoutItsSecretAndLeavesWithItsMemberOrItsDeletion() throws Exception {
        String ownerToken = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        String workspace = api.post("workspaces", "{\"name\":\"Keyed " + UUID.randomUUID() + "\"}", ownerToken)
                .json().getString("id");
        String memberEmail = newEmail();
        String memberToken = api.signupVerifiedAndLogin(memberEmail, PASSWORD);
        String memberId = api.get("me", memberToken).json().getString("id");
        join(ownerToken, workspace, memberEmail, memberToken);
        String password = "pw-" + UUID.randomUUID();
        String credentialId = api.post("me/credentials", """
                {"name":"Legacy","kind":"basic","origins":["https://legacy.example.com"],
                 "secret":{"username":"ann","password":"%s"}}""".formatted(password), memberToken).json().getString("id");

        Answer shared = api.post("workspaces/" + workspace + "/credentials",
                "{\"credentialId\":\"" + credentialId + "\",\"name\":\"Legacy API\"}", memberToken);
        assertThat(shared.status()).as(shared.toString()).isEqualTo(201);
        String sharedId = shared.json().getString("id");
        assertThat(shared.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/credentials/" + sharedId));
        assertThat(shared.json().getString("sharedBy")).isEqualTo(memberId);
        assertThat(shared.json().getString("kind")).isEqualTo("basic");
        assertThat(api.post("workspaces/" + workspace + "/credentials",
                "{\"credentialId\":\"" + credentialId + "\"}", memberToken).status()).isEqualTo(409);
        assertThat(api.get("me/credentials/" + credentialId, memberToken).json().getBoolean("shared")).isTrue();
        Answer listed = api.get("workspaces/" + workspace + "/credentials", ownerToken);
        assertThat(listed.json().getJsonArray("items")).hasSize(1);
        assertThat(listed.json().getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(sharedId);
        assertThat(listed.body()).doesNotContain(password).doesNotContain("ann");

        // the owner cannot share the member's credential, an outsider sees nothing, a solo plan cannot share
        assertThat(api.post("workspaces/" + workspace + "/credentials",
                "{\"credentialId\":\"" + credentialId + "\"}", ownerToken).status()).isEqualTo(403);
        String outsider = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        assertThat(api.get("workspaces/" + workspace + "/credentials", outsider).status()).isEqualTo(403);
        String solo = api.post("workspaces", "{\"name\":\"Solo " + UUID.randomUUID() + "\"}", memberToken)
                .json().getString("id");
        Sql.update("UPDATE workspaces SET plan_tier = 'SOLO' WHERE id = ?::uuid", solo);
        Answer refused = api.post("workspaces/" + solo + "/credentials",
                "{\"credentialId\":\"" + credentialId + "\"}", memberToken);
        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.problemType()).isEqualTo("shared-connections-not-in-plan");

        // the sharer removes it; deleting the credential takes its shares along
        assertThat(api.send("DELETE", "workspaces/" + workspace + "/credentials/" + sharedId, null, null, memberToken)
                .status()).isEqualTo(204);
        assertThat(api.post("workspaces/" + workspace + "/credentials",
                "{\"credentialId\":\"" + credentialId + "\"}", memberToken).status()).isEqualTo(201);
        assertThat(api.send("DELETE", "me/credentials/" + credentialId, null, null, memberToken).status()).isEqualTo(204);
        assertThat(api.get("workspaces/" + workspace + "/credentials", ownerToken).json().getJsonArray("items")).isEmpty();

        // the member is removed: their shares go in the same transaction
        String another = api.post("me/credentials", """
                {"name":"Token","kind":"bearer","origins":["https://api.example.com"],"secret":{"token":"%s"}}"""
                .formatted(password), memberToken).json().getString("id");
        assertThat(api.post("workspaces/" + workspace + "/credentials",
                "{\"credentialId\":\"" + another + "\"}", memberToken).status()).isEqualTo(201);
        assertThat(api.send("DELETE", "workspaces/" + workspace + "/members/" + memberId, null, null, ownerToken)
                .status()).isEqualTo(204);
        assertThat(Sql.column("SELECT count(*)::text FROM workspace_credentials WHERE workspace_id = ?::uuid", workspace))
                .containsExactly("0");
        assertThat(api.get("me/credentials/" + another, memberToken).json().getBoolean("shared")).isFalse();
    }

    // --- helpers ---

    /** Connects an account of {@code accountEmail} whose access token lives {@code expirySeconds}. */
    private JsonObject connect(String token, String accountEmail, long expirySeconds) {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, "subject-" + UUID.randomUUID(), "JWT",
                List.of("flowline-test"), Map.of("email", accountEmail), expirySeconds));
        Answer callback = callback("local", providerRedirect(authorizeLocation(token, "local")));
        assertThat(callback.status()).as(callback.toString()).isEqualTo(303);
        return callback.json();
    }

    private Answer callbackOf(String providerName, String token) {
        Answer callback = callback(providerName, providerRedirect(authorizeLocation(token, providerName)));
        assertThat(callback.status()).as(callback.toString()).isEqualTo(303);
        return callback;
    }

    private URI authorizeLocation(String token, String providerName) {
        return authorizeLocation(browser, token, providerName);
    }

    private URI authorizeLocation(Browser in, String token, String providerName) {
        Answer authorize = in.get("connections/" + providerName + "/authorize", token);
        assertThat(authorize.status()).as(authorize.toString()).isEqualTo(302);
        return URI.create(authorize.header("Location").orElseThrow());
    }

    /** What the browser does at the provider: its login is not interactive, so it redirects back at once. */
    private static Map<String, String> providerRedirect(URI authorizeUrl) {
        try {
            HttpResponse<String> response = BROWSER.send(HttpRequest.newBuilder(authorizeUrl).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
            return query(URI.create(response.headers().firstValue("Location").orElseThrow()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Answer callback(String providerName, Map<String, String> redirect) {
        return callback(browser, providerName, redirect);
    }

    /** The provider's redirect back, arriving in {@code in}: no session (it is SameSite=Strict), the jar's cookies. */
    private static Answer callback(Browser in, String providerName, Map<String, String> redirect) {
        return in.get("connections/" + providerName + "/callback?code=" + redirect.get("code") + "&state="
                + redirect.get("state"), null);
    }

    /**
     * A browser's cookie jar over {@link #api}: keeps what {@code Set-Cookie} hands it (a {@code Max-Age=0} removes)
     * and sends it back. The tests' deployment may sit under a context root that the cookies' {@code Path}
     * (the configured public address's) does not name, so every cookie is sent on every request of the jar.
     */
    private final class Browser {
        final Map<String, String> cookies = new HashMap<>();

        Answer get(String path, String token) {
            HttpRequest.Builder request = api.request(path, token).GET();
            if (!cookies.isEmpty()) {
                request.header("Cookie", String.join("; ", cookies.entrySet().stream()
                        .map(c -> c.getKey() + "=" + c.getValue()).toList()));
            }
            Answer answer = api.send(request.build());
            for (String header : answer.headers().getOrDefault("set-cookie", List.of())) {
                Map<String, String> cookie = setCookie(header);
                if ("0".equals(cookie.get("max-age"))) {
                    cookies.remove(cookie.get("name"));
                } else {
                    cookies.put(cookie.get("name"), cookie.get("value"));
                }
            }
            return answer;
        }
    }

    /** A Set-Cookie header as name, value and attributes (names in lower case; flags map to ""). */
    private static Map<String, String> setCookie(String header) {
        Map<String, String> cookie = new HashMap<>();
        String[] parts = header.split(";");
        String[] pair = parts[0].split("=", 2);
        cookie.put("name", pair[0].strip());
        cookie.put("value", pair.length < 2 ? "" : pair[1].strip().replace("\"", ""));
        for (int i = 1; i < parts.length; i++) {
            String[] attribute = parts[i].split("=", 2);
            cookie.put(attribute[0].strip().toLowerCase(), attribute.length < 2 ? "" : attribute[1].strip());
        }
        return cookie;
    }

    /** The Set-Cookie headers of an answer, parsed, by cookie name. */
    private static Map<String, Map<String, String>> setCookies(Answer answer) {
        Map<String, Map<String, String>> byName = new HashMap<>();
        for (String header : answer.headers().getOrDefault("set-cookie", List.of())) {
            Map<String, String> cookie = setCookie(header);
            byName.put(cookie.get("name"), cookie);
        }
        return byName;
    }

    private String userInfoWorkflow(String token, String workspace, String connectionId) {
        String body = """
                {"name":"Who am I","definition":{"nodes":[
                  {"id":"start","type":"trigger.manual","params":{}},
                  {"id":"whoami","type":"http.request","params":{"url":"%s","connectionId":"%s"}}],
                 "edges":[{"from":"start","to":"whoami"}]},
                 "retryPolicy":{"maxAttempts":1,"backoff":"FIXED","initialDelaySeconds":1,"maxDelaySeconds":1}}""".formatted(provider.userInfoUrl(ISSUER), connectionId);
        Answer created = api.post("workspaces/" + workspace + "/workflows", body, token);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().getString("id");
    }

    private JsonObject runToEnd(String token, String workspace, String workflowId) {
        Answer started = api.post("workspaces/" + workspace + "/workflows/" + workflowId + "/runs", "{}", token);
        assertThat(started.status()).as(started.toString()).isEqualTo(201);
        return awaitEnd(token, "workspaces/" + workspace + "/runs/" + started.json().getString("id"));
    }

    private JsonObject awaitEnd(String token, String path) {
        Instant deadline = Instant.now().plus(PATIENCE);
        JsonObject run = api.get(path, token).json();
        while (!List.of("SUCCEEDED", "FAILED", "CANCELED", "DEAD_LETTERED").contains(run.getString("status"))) {
            assertThat(Instant.now()).as("run still " + run).isBefore(deadline);
            sleep(100);
            run = api.get(path, token).json();
        }
        return run;
    }

    private String personalWorkspace(String token) {
        return api.get("workspaces", token).json().getJsonArray("items").stream().map(JsonObject.class::cast)
                .filter(w -> w.getBoolean("personal")).findFirst().orElseThrow().getString("id");
    }

    private void join(String ownerToken, String workspace, String email, String token) {
        Answer invited = api.post("workspaces/" + workspace + "/invitations",
                "{\"email\":\"" + email + "\",\"role\":\"MEMBER\"}", ownerToken);
        assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
        String name = api.get("workspaces/" + workspace, ownerToken).json().getString("name");
        String invitation = Mailbox.token(email, "You are invited to " + name, 1);
        assertThat(api.post("invitations/accept", Json.createObjectBuilder().add("token", invitation).build().toString(),
                token).status()).isEqualTo(200);
    }

    private static RecordedRequest takeRequest(Predicate<RecordedRequest> wanted) {
        List<String> seen = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            RecordedRequest request = poll(1000);
            if (request != null) {
                if (wanted.test(request)) {
                    return request;
                }
                seen.add(request.getMethod() + " " + request.getPath());
            }
        }
        throw new AssertionError("the provider received no such request; it saw " + seen);
    }

    private static void drainRequests() {
        if (provider == null) {
            return;
        }
        while (poll(10) != null) {
            // forget what earlier tests made the provider receive
        }
    }

    /** The provider's next request, or null when none comes in time (the library throws for that). */
    private static RecordedRequest poll(long millis) {
        try {
            return provider.takeRequest(millis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The origin (scheme://host:port) of {@code url}: where the provider's API is, for its api-origins. */
    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    }

    private static Map<String, String> query(URI uri) {
        return form(uri.getRawQuery());
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        for (String pair : encoded.split("&")) {
            String[] parts = pair.split("=", 2);
            values.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    parts.length < 2 ? "" : URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return values;
    }

    private static final String BROWSER_COOKIE_PREFIX = "flowline_oauth_";

    /** The binding cookie an authorize answer sets (exactly one). */
    private static Map<String, String> bindingCookie(Answer authorize) {
        Map<String, Map<String, String>> set = setCookies(authorize);
        assertThat(set.keySet()).as(authorize.headers().toString()).hasSize(1)
                .allSatisfy(name -> assertThat(name).matches(BROWSER_COOKIE_PREFIX + "[0-9a-f]{16}"));
        return set.values().iterator().next();
    }

    /** The cookie of a state is named after a prefix of its hash (no test may need the server's code for that). */
    private static String stateCookieSuffix(String state) {
        return sha256Hex(state).substring(0, 16);
    }

    private static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The provider's next request matching {@code wanted} within two seconds, or null. */
    private static RecordedRequest pollFor(Predicate<RecordedRequest> wanted) {
        Instant deadline = Instant.now().plusSeconds(2);
        while (Instant.now().isBefore(deadline)) {
            RecordedRequest request = poll(200);
            if (request != null && wanted.test(request)) {
                return request;
            }
        }
        return null;
    }

    private static String s256(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
