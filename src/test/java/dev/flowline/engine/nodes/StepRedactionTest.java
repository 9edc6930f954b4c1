package dev.flowline.engine.nodes;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What an {@code http.request} step records of its params: secret-named headers and query values redacted. */
class StepRedactionTest {

    @Test
    void redactsHeadersAndQueryParametersWhoseNamesSaySecret() {
        JsonObject params = Json.createObjectBuilder()
                .add("url", "https://api.example.com/v1?q=shoes&api_key=k-123&Access%5FToken=t-456&page=2#top")
                .add("headers", Json.createObjectBuilder().add("Authorization", "Bearer from-input")
                        .add("X-Hub-Signature", "sha256=abc").add("X-Session-Id", "s-1").add("Accept", "text/plain")
                        .add("Idempotency-Key", "order-42"))
                .add("credentialId", "3f2504e0-4f89-11d3-9a0c-0305e82c3301")
                .add("method", "POST")
                .build();

        JsonObject recorded = NodeActions.withoutSecrets(params);

        assertThat(recorded.getString("url")).isEqualTo("https://api.example.com/v1?q=shoes&api_key=%5Bredacted%5D"
                + "&Access%5FToken=%5Bredacted%5D&page=2#top");
        assertThat(recorded.getJsonObject("headers")).isEqualTo(Json.createObjectBuilder()
                .add("Authorization", "[redacted]").add("X-Hub-Signature", "[redacted]")
                .add("X-Session-Id", "[redacted]").add("Accept", "text/plain").add("Idempotency-Key", "order-42")
                .build());
        assertThat(recorded.getString("credentialId")).isEqualTo("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        assertThat(recorded.toString()).doesNotContain("k-123", "t-456", "from-input", "abc", "s-1");
    }

    @Test
    void leavesParamsWithoutSecretsAlone() {
        JsonObject params = Json.createObjectBuilder().add("url", "https://api.example.com/v1?q=1&flag")
                .add("headers", Json.createObjectBuilder().add("Accept", "*/*")).build();

        assertThat(NodeActions.withoutSecrets(params)).isEqualTo(params);
    }

    @Test
    void redactsTheSignaturesOfResumeUrlsWhereverTheyAreAndKeepsWhatHasNone() {
        String url = "http://localhost:8080/api/v1/hooks/resume/6f1c1c4e-6a55-4c4f-9d7e-1b2f3a4b5c6d/approval/"
                + "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6";
        JsonObject params = Json.createObjectBuilder().add("url", "https://chat.example/post")
                .add("body", Json.createObjectBuilder().add("text", "Approve: " + url)
                        .add("links", Json.createArrayBuilder().add(1).add(url)))
                .build();

        JsonObject recorded = NodeActions.withoutResumeSignatures(params);

        String redacted = url.substring(0, url.lastIndexOf('/') + 1) + "[redacted]";
        assertThat(recorded).isEqualTo(Json.createObjectBuilder().add("url", "https://chat.example/post")
                .add("body", Json.createObjectBuilder().add("text", "Approve: " + redacted)
                        .add("links", Json.createArrayBuilder().add(1).add(redacted)))
                .build());
        JsonObject plain = Json.createObjectBuilder().add("a", Json.createArrayBuilder().add("x")).build();
        assertThat(NodeActions.withoutResumeSignatures(plain)).isSameAs(plain);
    }
}
