package dev.flowline.auth.api;

import dev.flowline.testing.ApiClient.Answer;
import dev.flowline.testing.ApiOverHttp;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.Mailbox;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;

import static dev.flowline.testing.Fixtures.newEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The accounts API over HTTP, on in-memory repositories and a clock the tests move: signup, login, sessions,
 * lockout, email verification, password reset and change, settings, support reports.
 */
class AccountsApiIT extends ApiOverHttp {

    /** Tests pose as clients at other addresses with X-Forwarded-For, as if behind one trusted proxy. */
    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withConfig(Deployments.withInMemoryRepositories(), "flowline.http.trusted-proxies=1");
    }

    static final String ORIGIN = "http://localhost:8080"; // flowline.public-base-url in arquillian.xml

    Answer loginFrom(String address, String email, String password) {
        return api.send(api.request("auth/login", null).header("Content-Type", "application/json")
                .header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString(loginJson(email, password))).build());
    }

    static String signupJson(String email, String password, String name) {
        return Json.createObjectBuilder().add("email", email).add("password", password).add("name", name).build().toString();
    }

    static String loginJson(String email, String password) {
        return Json.createObjectBuilder().add("email", email).add("password", password).build().toString();
    }

    void advanceClock(long seconds) {
        assertThat(api.post("test-support/clock/advance?seconds=" + seconds, null).status()).isEqualTo(204);
    }

    @Test
    void signupLoginMeLogout() {
        String email = newEmail();
        Answer signup = api.post("auth/signup", signupJson(email, PASSWORD, "  Ann Example "));
        assertThat(signup.status()).isEqualTo(201);
        assertThat(signup.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/v1/me"));
        assertThat(signup.json().getString("email")).isEqualTo(email);
        assertThat(signup.json().getString("name")).isEqualTo("Ann Example");
        assertThat(signup.json().getBoolean("emailVerified")).isFalse();
        assertThat(signup.body()).doesNotContain(PASSWORD).doesNotContainIgnoringCase("hash");

        Answer login = api.post("auth/login", loginJson(email.toUpperCase(), PASSWORD));
        assertThat(login.status()).isEqualTo(200);
        String token = login.json().getString("token");
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        assertThat(login.json().getString("tokenType")).isEqualTo("Bearer");
        assertThat(login.header("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                .startsWith(SessionCookies.NAME + "=" + token).contains("HttpOnly").contains("SameSite=Strict"));

        Answer me = api.get("me", token);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().getString("id")).isEqualTo(login.json().getString("userId"));
        assertThat(me.json().getString("plan")).isEqualTo("FREE");

        Answer viaCookie = api.send(api.request("me", null).header("Cookie", SessionCookies.NAME + "=" + token).GET().build());
        assertThat(viaCookie.status()).isEqualTo(200);

        Answer logout = api.post("auth/logout", null, token);
        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.header("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
        Answer afterLogout = api.get("me", token);
        assertThat(afterLogout.status()).isEqualTo(401);
        assertThat(afterLogout.problemType()).isEqualTo("invalid-session");
    }

    @Test
    void aTakenEmailIsAConflictWhateverItsCase() {
        String email = newEmail();
        assertThat(api.post("auth/signup", signupJson(email, PASSWORD, "A")).status()).isEqualTo(201);
        Answer again = api.post("auth/signup", signupJson(email.toUpperCase(), PASSWORD, "B"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.problemType()).isEqualTo("email-taken");
    }

    @Test
    void wrongPasswordAndUnknownEmailAnswerTheSame401() {
        String email = newEmail();
        api.signupAndLogin(email, PASSWORD);
        Answer wrong = api.post("auth/login", loginJson(email, "not the password"));
        Answer unknown = api.post("auth/login", loginJson(newEmail(), PASSWORD));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.header("WWW-Authenticate")).hasValue("Bearer");
        assertThat(wrong.json().getString("detail")).isEqualTo(unknown.json().getString("detail"));
    }

    @Test
    void failedLoginsDelayOnlyTheirAddressAndTheOwnerStillGetsIn() {
        String email = newEmail();
        api.signupAndLogin(email, PASSWORD);
        String attacker = "203.0.113.77";
        for (int i = 1; i <= 5; i++) {
            assertThat(loginFrom(attacker, email, "wrong " + i).status()).isEqualTo(401);
        }
        Answer sixth = loginFrom(attacker, email, "wrong 6");
        assertThat(sixth.status()).isEqualTo(429);
        assertThat(sixth.contentType()).startsWith("application/problem+json");
        assertThat(sixth.problemType()).isEqualTo("login-delayed");
        assertThat(sixth.header("Retry-After")).hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isBetween(1L, 30L));
        assertThat(loginFrom(attacker, email, PASSWORD).status()).as("right password, attacker's address").isEqualTo(429);

        // the owner, elsewhere, is not locked out while the attacker keeps hammering
        assertThat(loginFrom("192.0.2.44", email, PASSWORD).status()).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            loginFrom(attacker, email, "more " + i);
        }
        assertThat(loginFrom("192.0.2.44", email, PASSWORD).status()).isEqualTo(200);

        // delays grow for the attacker's address: a failure after the first delay starts a much longer one
        advanceClock(31);
        assertThat(loginFrom(attacker, email, "wrong again").status()).isEqualTo(401);
        assertThat(loginFrom(attacker, email, PASSWORD).header("Retry-After")).hasValue(String.valueOf(15 * 60));
        advanceClock(15 * 60 + 1);
        assertThat(loginFrom(attacker, email, PASSWORD).status()).as("a success forgets the address's failures")
                .isEqualTo(200);
        assertThat(loginFrom(attacker, email, "one slip").status()).isEqualTo(401);
        assertThat(loginFrom(attacker, email, PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void theEmailedTokenVerifiesTheAddressOnce() {
        String email = newEmail();
        String session = api.signupAndLogin(email, PASSWORD);
        String token = Mailbox.token(email, "Confirm your email", 1);

        Answer anonymous = api.post("auth/verify-email", tokenJson(token));
        assertThat(anonymous.status()).as("the token alone is not enough").isEqualTo(401);

        Answer verify = api.post("auth/verify-email", tokenJson(token), session);
        assertThat(verify.status()).isEqualTo(204);
        assertThat(api.get("me", session).json().getBoolean("emailVerified")).isTrue();

        Answer again = api.post("auth/verify-email", tokenJson(token), session);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.problemType()).isEqualTo("invalid-token");
        assertThat(api.post("auth/verify-email/resend", null, session).status()).isEqualTo(409);
    }

    @Test
    void aResentVerificationReplacesTheFirstAndTokensExpire() {
        String email = newEmail();
        String session = api.signupAndLogin(email, PASSWORD);
        String first = Mailbox.token(email, "Confirm your email", 1);
        Answer tooSoon = api.post("auth/verify-email/resend", null, session);
        assertThat(tooSoon.status()).isEqualTo(429);
        assertThat(tooSoon.problemType()).isEqualTo("email-too-soon");
        assertThat(tooSoon.header("Retry-After")).hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isBetween(1L, 60L));
        advanceClock(61);
        assertThat(api.post("auth/verify-email/resend", null, session).status()).isEqualTo(202);
        String second = Mailbox.token(email, "Confirm your email", 2);

        assertThat(api.post("auth/verify-email", tokenJson(first), session).status()).isEqualTo(400);
        advanceClock(72 * 3600 + 1);
        session = api.login(email, PASSWORD); // the first one went idle meanwhile
        assertThat(api.post("auth/verify-email", tokenJson(second), session).status()).isEqualTo(400);
        assertThat(api.get("me", session).json().getBoolean("emailVerified")).isFalse();
    }

    @Test
    void verificationIsBoundToTheAccountThatSignedUpAndEndsItsOtherSessions() {
        // someone signs up with an address that is not theirs; its owner has an account of their own
        String victimEmail = newEmail();
        String impostor = api.signupAndLogin(victimEmail, PASSWORD);
        String token = Mailbox.token(victimEmail, "Confirm your email", 1);
        String victimOwnAccount = api.signupAndLogin(newEmail(), PASSWORD);

        Answer clickedByTheOwner = api.post("auth/verify-email", tokenJson(token), victimOwnAccount);
        assertThat(clickedByTheOwner.status()).isEqualTo(400);
        assertThat(clickedByTheOwner.problemType()).isEqualTo("invalid-token");
        assertThat(api.get("me", impostor).json().getBoolean("emailVerified")).isFalse();

        // the account that signed up verifies in one of its sessions; the others end
        String impostorOther = api.login(victimEmail, PASSWORD);
        assertThat(api.post("auth/verify-email", tokenJson(token), impostor).status()).isEqualTo(204);
        assertThat(api.get("me", impostor).status()).isEqualTo(200);
        assertThat(api.get("me", impostorOther).status()).isEqualTo(401);
    }

    @Test
    void cookieSessionsNeedAnAllowedOriginToChangeAnything() {
        String token = api.signupAndLogin(newEmail(), PASSWORD);
        String cookie = SessionCookies.NAME + "=" + token;
        String rename = "{\"name\":\"Renamed\"}";

        Answer noOrigin = api.send(api.request("me", null).header("Cookie", cookie).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(rename)).build());
        assertThat(noOrigin.status()).isEqualTo(403);
        assertThat(noOrigin.contentType()).startsWith("application/problem+json");
        assertThat(noOrigin.problemType()).isEqualTo("cross-origin-request");

        Answer otherSite = api.send(api.request("me", null).header("Cookie", cookie).header("Origin", "https://evil.example")
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(rename)).build());
        assertThat(otherSite.status()).isEqualTo(403);
        Answer logoutElsewhere = api.send(api.request("auth/logout", null).header("Cookie", cookie)
                .header("Origin", "http://localhost:8081").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(logoutElsewhere.status()).isEqualTo(403);

        Answer ourOrigin = api.send(api.request("me", null).header("Cookie", cookie).header("Origin", ORIGIN)
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(rename)).build());
        assertThat(ourOrigin.status()).isEqualTo(200);
        assertThat(api.send(api.request("me", null).header("Cookie", cookie).GET().build()).status())
                .as("reads need no Origin").isEqualTo(200);
        assertThat(api.send("PATCH", "me", "application/json", rename, token).status())
                .as("a Bearer token needs no Origin").isEqualTo(200);
    }

    @Test
    void anIdleSessionEnds() {
        String email = newEmail();
        String token = api.signupAndLogin(email, PASSWORD);
        advanceClock(23 * 3600);
        assertThat(api.get("me", token).status()).as("used after 23 idle hours").isEqualTo(200);
        advanceClock(23 * 3600);
        assertThat(api.get("me", token).status()).as("that use counted").isEqualTo(200);
        advanceClock(24 * 3600 + 60);
        Answer idle = api.get("me", token);
        assertThat(idle.status()).as("24 idle hours").isEqualTo(401);
        assertThat(idle.problemType()).isEqualTo("invalid-session");
    }

    @Test
    void passwordResetSetsANewPasswordAndSignsOutEverywhere() {
        String email = newEmail();
        String session = api.signupAndLogin(email, PASSWORD);

        Answer unknown = api.post("auth/password-reset/request", emailJson(newEmail()));
        Answer known = api.post("auth/password-reset/request", emailJson(email.toUpperCase()));
        assertThat(unknown.status()).isEqualTo(202);
        assertThat(known.status()).isEqualTo(202);
        assertThat(unknown.body()).isEqualTo(known.body());

        String token = Mailbox.token(email, "Reset your Flowline password", 1);
        String newPassword = "a brand new password";
        Answer confirm = api.post("auth/password-reset/confirm", Json.createObjectBuilder()
                .add("token", token).add("newPassword", newPassword).build().toString());
        assertThat(confirm.status()).isEqualTo(204);

        assertThat(api.get("me", session).status()).isEqualTo(401);
        assertThat(api.post("auth/login", loginJson(email, PASSWORD)).status()).isEqualTo(401);
        assertThat(api.post("auth/login", loginJson(email, newPassword)).status()).isEqualTo(200);

        Answer reuse = api.post("auth/password-reset/confirm", Json.createObjectBuilder()
                .add("token", token).add("newPassword", "yet another password").build().toString());
        assertThat(reuse.status()).isEqualTo(400);
        assertThat(reuse.problemType()).isEqualTo("invalid-token");
    }

    @Test
    void repeatedResetRequestsWithinAMinuteSendOneEmail() {
        String email = newEmail();
        api.signupAndLogin(email, PASSWORD);
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("auth/password-reset/request", emailJson(email)).status()).isEqualTo(202);
        }
        Mailbox.await(email, "Reset your Flowline password", 1);
        advanceClock(61);
        assertThat(api.post("auth/password-reset/request", emailJson(email)).status()).isEqualTo(202);
        Mailbox.await(email, "Reset your Flowline password", 2);
        assertThat(Mailbox.messagesTo(email, "Reset your Flowline password")).hasSize(2);
    }

    @Test
    void aResetTokenExpires() {
        String email = newEmail();
        api.signupAndLogin(email, PASSWORD);
        api.post("auth/password-reset/request", emailJson(email));
        String token = Mailbox.token(email, "Reset your Flowline password", 1);
        advanceClock(60 * 60 + 1);
        Answer late = api.post("auth/password-reset/confirm", Json.createObjectBuilder()
                .add("token", token).add("newPassword", "too late password").build().toString());
        assertThat(late.status()).isEqualTo(400);
        assertThat(api.post("auth/login", loginJson(email, PASSWORD)).status()).isEqualTo(200);
    }

    @Test
    void changingThePasswordNeedsTheCurrentOneAndSignsOutOtherSessions() {
        String email = newEmail();
        String current = api.signupAndLogin(email, PASSWORD);
        String other = api.login(email, PASSWORD);

        Answer wrong = api.post("me/password", Json.createObjectBuilder()
                .add("currentPassword", "not it").add("newPassword", "new password 123").build().toString(), current);
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.problemType()).isEqualTo("wrong-current-password");

        Answer change = api.post("me/password", Json.createObjectBuilder()
                .add("currentPassword", PASSWORD).add("newPassword", "new password 123").build().toString(), current);
        assertThat(change.status()).isEqualTo(204);
        assertThat(api.get("me", current).status()).isEqualTo(200);
        assertThat(api.get("me", other).status()).isEqualTo(401);
        assertThat(api.post("auth/login", loginJson(email, "new password 123")).status()).isEqualTo(200);
    }

    @Test
    void settingsFollowJsonMergePatchAndBillingIsReadOnly() {
        String token = api.signupAndLogin(newEmail(), PASSWORD);
        Answer first = api.send("PATCH", "me/settings", "application/merge-patch+json",
                "{\"theme\":\"dark\",\"notifications\":{\"email\":true,\"digest\":\"daily\"}}", token);
        assertThat(first.status()).isEqualTo(200);
        Answer second = api.send("PATCH", "me/settings", "application/merge-patch+json",
                "{\"theme\":null,\"notifications\":{\"digest\":\"weekly\"}}", token);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).isEqualTo(Json.createObjectBuilder()
                .add("notifications", Json.createObjectBuilder().add("email", true).add("digest", "weekly")).build());
        assertThat(api.get("me", token).json().getJsonObject("settings")).isEqualTo(second.json());

        Answer billing = api.send("PATCH", "me/settings", "application/merge-patch+json", "{\"billing\":{\"plan\":\"PRO\"}}", token);
        assertThat(billing.status()).isEqualTo(400);
        assertThat(billing.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("billing");

        assertThat(api.send("PATCH", "me/settings", "application/merge-patch+json", "[1,2]", token).status()).isEqualTo(400);
        assertThat(api.send("PATCH", "me/settings", "application/merge-patch+json", "\"text\"", token).status()).isEqualTo(400);
        assertThat(api.send("PATCH", "me/settings", "application/merge-patch+json", "{\"a\":", token).status()).isEqualTo(400);

        String big = "{\"blob\":\"" + "x".repeat(20_000) + "\"}";
        Answer tooBig = api.send("PATCH", "me/settings", "application/merge-patch+json", big, token);
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(api.get("me/settings", token).json()).isEqualTo(second.json());
    }

    @Test
    void theNameCanBeChanged() {
        String token = api.signupAndLogin(newEmail(), PASSWORD);
        Answer renamed = api.send("PATCH", "me", "application/json", "{\"name\":\"New Name\"}", token);
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().getString("name")).isEqualTo("New Name");
        assertThat(api.send("PATCH", "me", "application/json", "{\"name\":\"\"}", token).status()).isEqualTo(400);
    }

    @Test
    void issueReportsAreStoredAndVisibleOnlyToTheirReporter() {
        String token = api.signupAndLogin(newEmail(), PASSWORD);
        Answer created = api.send(api.request("support/issues", token).header("Content-Type", "application/json")
                .header("User-Agent", "FlowlineDesktop/1.0")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder().add("text", "The run list is empty")
                        .add("appVersion", "1.4.2").build().toString())).build());
        assertThat(created.status()).isEqualTo(201);
        JsonObject report = created.json();
        assertThat(report.getString("userAgent")).isEqualTo("FlowlineDesktop/1.0");
        String location = created.header("Location").orElseThrow();
        assertThat(location).endsWith("/api/v1/support/issues/" + report.getString("id"));

        assertThat(api.get("support/issues/" + report.getString("id"), token).json()).isEqualTo(report);
        String stranger = api.signupAndLogin(newEmail(), PASSWORD);
        assertThat(api.get("support/issues/" + report.getString("id"), stranger).status()).isEqualTo(404);
        // a malformed id names itself (issue 12), where JAX-RS would have answered 404
        assertThat(api.get("support/issues/not-a-uuid", token).status()).isEqualTo(400);
    }

    @Test
    void aBadBearerTokenIs401ButAStaleCookieDoesNotBlockSigningIn() {
        Answer bad = api.get("me", "not-a-session");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));

        Answer basic = api.send(api.request("me", null).header("Authorization", "Basic dXNlcjpwYXNz").GET().build());
        assertThat(basic.status()).isEqualTo(401);

        String email = newEmail();
        api.signupAndLogin(email, PASSWORD);
        Answer login = api.send(api.request("auth/login", null).header("Content-Type", "application/json")
                .header("Cookie", SessionCookies.NAME + "=stale-token")
                .POST(HttpRequest.BodyPublishers.ofString(loginJson(email, PASSWORD))).build());
        assertThat(login.status()).isEqualTo(200);
    }

    private static String tokenJson(String token) {
        return Json.createObjectBuilder().add("token", token).build().toString();
    }

    private static String emailJson(String email) {
        return Json.createObjectBuilder().add("email", email).build().toString();
    }

    /** One action on an account and the account events it must write, and no others. */
    record AccountAction(String action, java.util.List<String> events, java.util.function.Supplier<Answer> call) {
    }

    @Test
    void eachAccountActionWritesItsAuditEventOnlyForItsAccount() {
        String email = newEmail();
        String[] token = new String[1];
        java.util.List<AccountAction> actions = java.util.List.of(
                // no session yet to read them: the sign-up's event is seen with the first sign-in's
                new AccountAction("sign up", java.util.List.of(),
                        () -> api.post("auth/signup", signupJson(email, PASSWORD, "Audrey"))),
                new AccountAction("sign in", java.util.List.of("account.signed_up", "account.signed_in"), () -> {
                    Answer login = loginFrom("203.0.113.7", email, PASSWORD);
                    token[0] = login.json().getString("token");
                    return login;
                }),
                new AccountAction("a wrong password", java.util.List.of("account.sign_in_failed"),
                        () -> loginFrom("203.0.113.8", email, "not the password")),
                new AccountAction("an unknown email", java.util.List.of(),
                        () -> loginFrom("203.0.113.8", newEmail(), PASSWORD)),
                new AccountAction("verify the email", java.util.List.of("account.email_verified"), () -> api.post(
                        "auth/verify-email", "{\"token\":\"" + Mailbox.token(email, "Confirm your email", 1) + "\"}", token[0])),
                new AccountAction("rename", java.util.List.of("account.renamed"),
                        () -> api.send("PATCH", "me", "application/json", "{\"name\":\"Audrey B\"}", token[0])),
                new AccountAction("settings", java.util.List.of("account.settings_changed"), () -> api.send("PATCH",
                        "me/settings", "application/merge-patch+json", "{\"theme\":\"dark\"}", token[0])),
                new AccountAction("change the password", java.util.List.of("account.password_changed"), () -> api.post(
                        "me/password", "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"" + PASSWORD + " 2\"}",
                        token[0])),
                new AccountAction("reads", java.util.List.of(), () -> api.get("me", token[0])),
                new AccountAction("sign out, and in again to read", java.util.List.of("account.signed_out",
                        "account.signed_in"), () -> {
                    Answer out = api.post("auth/logout", null, token[0]);
                    token[0] = api.login(email, PASSWORD + " 2");
                    return out;
                }));
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.List<String> failures = new java.util.ArrayList<>();
        for (AccountAction action : actions) {
            Answer answer = action.call().get();
            java.util.List<String> written = new java.util.ArrayList<>();
            if (token[0] != null) {
                for (JsonObject event : api.get("me/audit?limit=200", token[0]).json().getJsonArray("items")
                        .getValuesAs(JsonObject.class)) {
                    if (seen.add(event.getString("id"))) {
                        written.add(event.getString("event"));
                    }
                }
            }
            if (!written.stream().sorted().toList().equals(action.events().stream().sorted().toList())) {
                failures.add(action.action() + " (" + answer.status() + ") wrote " + written + ", not " + action.events());
            }
        }
        assertThat(failures).isEmpty();

        java.util.List<JsonObject> events = api.get("me/audit?limit=200", token[0]).json().getJsonArray("items")
                .getValuesAs(JsonObject.class);
        assertThat(events).extracting(e -> e.getString("event")).contains("account.signed_up")
                .containsOnlyOnce("account.sign_in_failed", "account.password_changed");
        JsonObject failed = events.stream().filter(e -> e.getString("event").equals("account.sign_in_failed")).findFirst()
                .orElseThrow();
        assertThat(failed.getString("clientAddress")).as("the trusted proxy's X-Forwarded-For").isEqualTo("203.0.113.8");
        assertThat(failed.getString("actorEmail")).isEqualTo(email);
        assertThat(failed.getString("requestId")).isNotBlank();
        assertThat(events.toString()).doesNotContain(PASSWORD);
        assertThat(api.get("me/audit?event=account.sign_in_failed&format=ndjson", token[0]).body().lines()).hasSize(1);

        String stranger = api.signupAndLogin(newEmail(), PASSWORD);
        assertThat(api.get("me/audit", stranger).json().getJsonArray("items")).extracting(e -> e.asJsonObject().getString("event"))
                .as("the tests' clock stands still: same time, any order").containsExactlyInAnyOrder("account.signed_in",
                        "account.signed_up");
    }
}
