package dev.flowline.connections;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each kind's fields: what is accepted, what a request sends, what may be shown, and what is refused (and where). */
class CredentialSecretTest {

    private static CredentialFields apiKey(String in, String name, String value) {
        return new CredentialFields(in, name, value, null, null, null, null);
    }

    private static CredentialFields headers(Map<String, String> headers) {
        return new CredentialFields(null, null, null, null, null, null, headers);
    }

    private static List<String> fieldsOf(Runnable call) {
        try {
            call.run();
        } catch (InvalidInputException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.errors().stream().map(FieldError::field).toList();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void eachKindSendsWhatItsSpecificationSays() {
        CredentialSecret header = CredentialSecret.of(CredentialKind.API_KEY, apiKey("header", "X-Api-Key", "k-1"), "secret");
        assertThat(header.requestHeaders()).containsExactly(Map.entry("X-Api-Key", "k-1"));
        assertThat(header.queryParameters()).isEmpty();
        assertThat(header.shape()).isEqualTo(new CredentialShape("header", "X-Api-Key", null));

        CredentialSecret query = CredentialSecret.of(CredentialKind.API_KEY, apiKey("query", "api_key", "k é 2"), "secret");
        assertThat(query.requestHeaders()).isEmpty();
        assertThat(query.queryParameters()).containsExactly(Map.entry("api_key", "k é 2"));

        CredentialSecret bearer = CredentialSecret.of(CredentialKind.BEARER,
                new CredentialFields(null, null, null, "t0ken", null, null, null), "secret");
        assertThat(bearer.requestHeaders()).containsExactly(Map.entry("Authorization", "Bearer t0ken"));
        assertThat(bearer.shape()).isEqualTo(CredentialShape.none());

        CredentialSecret basic = CredentialSecret.of(CredentialKind.BASIC,
                new CredentialFields(null, null, null, null, "zoë", "pa:ss", null), "secret");
        assertThat(basic.requestHeaders()).containsExactly(Map.entry("Authorization", "Basic "
                + Base64.getEncoder().encodeToString("zoë:pa:ss".getBytes(StandardCharsets.UTF_8))));

        Map<String, String> pairs = new LinkedHashMap<>();
        pairs.put("X-Tenant", "acme");
        pairs.put("Cookie", "session=abc");
        CredentialSecret several = CredentialSecret.of(CredentialKind.HEADERS, headers(pairs), "secret");
        assertThat(several.requestHeaders()).isEqualTo(pairs);
        assertThat(several.shape().headerNames()).containsExactly("X-Tenant", "Cookie");
    }

    @Test
    void theJsonThatIsEncryptedReadsBackToTheSameSecretAndNoStringShowsAValue() {
        Map<String, String> pairs = Map.of("X-A", "one", "X-B", "two");
        for (CredentialSecret secret : List.of(
                CredentialSecret.of(CredentialKind.API_KEY, apiKey("query", "key", "v-secret"), "secret"),
                CredentialSecret.of(CredentialKind.BASIC, new CredentialFields(null, null, null, null, "u", "p-secret", null), "secret"),
                CredentialSecret.of(CredentialKind.HEADERS, headers(pairs), "secret"))) {
            CredentialSecret read = CredentialSecret.fromJson(secret.kind(), secret.toJson());
            assertThat(read.requestHeaders()).isEqualTo(secret.requestHeaders());
            assertThat(read.queryParameters()).isEqualTo(secret.queryParameters());
            assertThat(read.toString()).doesNotContain("secret\"", "v-secret", "p-secret", "one", "two");
        }
        // Secret values with letters no UUID has: a random id in toString() must not match them by chance.
        RunCredential run = new RunCredential(java.util.UUID.randomUUID(), Map.of("Authorization", "Bearer tok-qrs"),
                Map.of("key", "xyz-key-value"), CredentialOrigins.parseList("https://api.example.com"));
        assertThat(run.toString()).contains("Authorization", "key", "https://api.example.com")
                .doesNotContain("tok-qrs", "xyz-key-value");
    }

    @Test
    void fieldsOfAnotherKindMissingFieldsAndBadValuesAreNamed() {
        assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.BEARER,
                new CredentialFields(null, null, null, null, "u", null, null), "secret")))
                .containsExactlyInAnyOrder("secret.token", "secret.username");
        assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.API_KEY, apiKey("cookie", "X-K", "v"), "secret")))
                .containsExactly("secret.in");
        assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.API_KEY, apiKey("header", "X Key", "v"), "secret")))
                .containsExactly("secret.name");
        assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.API_KEY, apiKey("header", "X-K", "a\r\nHost: evil"), "secret")))
                .containsExactly("secret.value");
        assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.API_KEY, apiKey("query", "k", "a\u0000b"), "secret")))
                .containsExactly("secret.value");
        assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.API_KEY, apiKey("header", "X-K", ""), "secret")))
                .containsExactly("secret.value");
        assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.API_KEY, apiKey("header", "X-K", "é"), "secret")))
                .as("a header value is sent as it is: ASCII only").containsExactly("secret.value");
        assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.BEARER,
                new CredentialFields(null, null, null, "x".repeat(CredentialSecret.MAX_VALUE_CHARS + 1), null, null, null),
                "secret"))).containsExactly("secret.token");
        assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.BASIC,
                new CredentialFields(null, null, null, null, "a:b", "p", null), "secret"))).containsExactly("secret.username");
        assertThatThrownBy(() -> CredentialSecret.of(CredentialKind.BASIC, null, "secret"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void headersAreTokensNotOwnedByTheClientOneToTenAndUniqueIgnoringCase() {
        for (String restricted : List.of("Host", "content-length", "Connection", "Transfer-Encoding", "Upgrade", "TE",
                "Keep-Alive", "Expect", "Proxy-Authorization")) {
            assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.HEADERS, headers(Map.of(restricted, "v")), "secret")))
                    .as(restricted).containsExactly("secret.headers." + restricted);
            assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.API_KEY, apiKey("header", restricted, "v"), "secret")))
                    .as(restricted).containsExactly("secret.name");
        }
        assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.HEADERS, headers(Map.of()), "secret")))
                .containsExactly("secret.headers");
        Map<String, String> eleven = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) {
            eleven.put("X-H" + i, "v");
        }
        assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.HEADERS, headers(eleven), "secret")))
                .containsExactly("secret.headers");
        Map<String, String> twice = new LinkedHashMap<>();
        twice.put("X-Same", "1");
        twice.put("x-same", "2");
        assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.HEADERS, headers(twice), "secret")))
                .containsExactly("secret.headers.x-same");
        assertThat(fieldsOf(() -> CredentialSecret.of(CredentialKind.HEADERS, headers(Map.of("Bad\nName", "v")), "secret")))
                .containsExactly("secret.headers.Bad\\u000aName");
    }

    @Test
    void originsAreRequiredAndABadEntryIsNamedByItsIndex() {
        assertThat(fieldsOf(() -> CredentialService.origins(List.of()))).containsExactly("origins");
        assertThat(fieldsOf(() -> CredentialService.origins(null))).containsExactly("origins");
        assertThat(fieldsOf(() -> CredentialService.origins(List.of("https://api.example.com", "ftp://x.example.com"))))
                .containsExactly("origins[1]");
        assertThat(fieldsOf(() -> CredentialService.origins(List.of("https://api.example.com/v1"))))
                .containsExactly("origins[0]");
        assertThat(CredentialService.origins(List.of("HTTPS://Api.Example.com:443/", "https://api.example.com")).values())
                .containsExactly("https://api.example.com");
    }
}
