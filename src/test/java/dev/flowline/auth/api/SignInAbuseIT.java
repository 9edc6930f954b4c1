package dev.flowline.auth.api;

import dev.flowline.testing.ApiClient.Answer;
import dev.flowline.testing.ApiOverHttp;
import dev.flowline.testing.Deployments;
import jakarta.json.Json;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static dev.flowline.testing.Fixtures.newEmail;
import static dev.flowline.testing.Threads.concurrently;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Floods of the unauthenticated sign-in endpoints, on a server with the product's tight limits (10 requests per
 * address and minute, two hashes at once) instead of the generous ones the other tests run with. Clients at other
 * addresses are simulated with X-Forwarded-For behind one trusted proxy.
 */
class SignInAbuseIT extends ApiOverHttp {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withConfig(Deployments.withInMemoryRepositories(), "flowline.http.trusted-proxies=1",
                "flowline.auth.limit.per-address-per-minute=10", "flowline.auth.limit.global-per-minute=100000",
                "flowline.auth.hashing.max-concurrent=2");
    }

    private Answer post(String address, String path, String json) {
        return api.send(api.request(path, null).header("Content-Type", "application/json")
                .header("X-Forwarded-For", address).POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static String loginJson(String email, String password) {
        return Json.createObjectBuilder().add("email", email).add("password", password).build().toString();
    }

    private String signupAndLogin(String address) {
        String email = newEmail();
        assertThat(post(address, "auth/signup", Json.createObjectBuilder().add("email", email).add("password", PASSWORD)
                .add("name", "Signed In").build().toString()).status()).isEqualTo(201);
        Answer login = post(address, "auth/login", loginJson(email, PASSWORD));
        assertThat(login.status()).isEqualTo(200);
        return login.json().getString("token");
    }

    @Test
    void aHashFloodIsAnswered429WhileASignedInUserGoesOn() throws Exception {
        String token = signupAndLogin("192.0.2.20");
        String flooder = "203.0.113.30";
        List<Callable<Answer>> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            requests.add(() -> post(flooder, "auth/login", loginJson(newEmail(), "guessing " + Math.random())));
            if (i % 4 == 0) {
                requests.add(() -> api.get("me", token));
            }
        }
        List<Answer> answers = concurrently(requests);

        List<Answer> me = answers.stream().filter(a -> a.status() == 200).toList();
        assertThat(me).as("every signed-in request during the flood").hasSize(10);
        List<Answer> refused = answers.stream().filter(a -> a.status() == 429).toList();
        // 10 per minute, refilled one every 6 s: on a slow machine the flood may take long enough for one or two more
        assertThat(refused).as("most of the 40 logins are refused").hasSizeGreaterThanOrEqualTo(25);
        assertThat(refused).allSatisfy(answer -> {
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.problemType()).isIn("sign-in-rate-limited", "sign-in-busy");
            assertThat(answer.header("Retry-After")).hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isBetween(1L, 60L));
        });
        assertThat(answers).extracting(Answer::status).containsOnly(200, 401, 429);

        // the same flood from elsewhere still leaves other addresses their own limit
        assertThat(post("198.51.100.40", "auth/login", loginJson(newEmail(), "x")).status()).isEqualTo(401);
        assertThat(api.get("me", token).status()).isEqualTo(200);
    }

    @Test
    void hashingBeyondTwoAtOnceIsRefusedAtOnceRatherThanQueued() throws Exception {
        List<Callable<Answer>> requests = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String address = "198.51.100." + (100 + i); // each address well within its own limit
            requests.add(() -> post(address, "auth/login", loginJson(newEmail(), "guess")));
        }
        List<Answer> answers = concurrently(requests);
        assertThat(answers).extracting(Answer::status).containsOnly(401, 429);
        List<Answer> busy = answers.stream().filter(a -> a.status() == 429).toList();
        assertThat(busy).isNotEmpty().allSatisfy(answer -> {
            assertThat(answer.problemType()).isEqualTo("sign-in-busy");
            assertThat(answer.header("Retry-After")).hasValue("1");
        });
    }

    @Test
    void anInvalidResetTokenIsRefusedWithoutHashingAndCountsAgainstTheLimit() {
        String address = "203.0.113.50";
        String body = Json.createObjectBuilder().add("token", "no-such-token").add("newPassword", "a new password")
                .build().toString();
        for (int i = 0; i < 10; i++) {
            Answer answer = post(address, "auth/password-reset/confirm", body);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.problemType()).isEqualTo("invalid-token");
        }
        Answer eleventh = post(address, "auth/password-reset/confirm", body);
        assertThat(eleventh.status()).isEqualTo(429);
        assertThat(eleventh.problemType()).isEqualTo("sign-in-rate-limited");
    }
}
