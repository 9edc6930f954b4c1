package dev.flowline.platform.rest;

import dev.flowline.testing.ApiClient.Answer;
import dev.flowline.testing.ApiOverHttp;
import dev.flowline.testing.Deployments;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.flowline.testing.Fixtures.newEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors that say what to fix (issue 12): a body with an unknown enum value, a wrong type or an unknown property,
 * and a query or path parameter that cannot be converted, each answer a 400 problem naming the field (and, for an
 * enum, the accepted values); a body on GET or DELETE is a problem too, not Grizzly's empty 400.
 */
class ClientErrorsIT extends ApiOverHttp {

    private static final String WORKFLOW = "{\"name\":\"W\",\"definition\":{\"nodes\":[{\"id\":\"start\","
            + "\"type\":\"trigger.manual\",\"params\":{}}],\"edges\":[]}";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.shared(Deployments.withoutBackgroundJobs(Deployments.product()));
    }

    private String session;
    private String workspace;
    private String me;

    @BeforeEach
    void signUpWithAWorkspace() {
        session = api.signupVerifiedAndLogin(newEmail(), PASSWORD);
        me = api.get("me", session).json().getString("id");
        Answer created = api.post("workspaces", "{\"name\":\"Errors\"}", session);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        workspace = created.json().getString("id");
    }

    @Test
    void anUnknownEnumValueNamesTheFieldAndTheAcceptedValues() {
        Answer answer = api.send("PATCH", "workspaces/" + workspace + "/members/" + me, "application/json",
                "{\"role\":\"member\"}", session);

        Map<String, String> errors = assertInvalid(answer);
        assertThat(errors).containsOnlyKeys("role");
        assertThat(errors.get("role")).isEqualTo("must be one of OWNER, ADMIN, MEMBER, VIEWER");
        assertThat(answer.json().getString("detail")).contains("role").contains("ADMIN, MEMBER, VIEWER");

        // nested in an object, and a plan tier refused the same way
        Answer nested = api.post("workspaces/" + workspace + "/workflows", WORKFLOW + ",\"retryPolicy\":{\"maxAttempts\":3,"
                + "\"backoff\":\"LINEAR\",\"initialDelaySeconds\":1,\"maxDelaySeconds\":2}}", session);
        assertThat(assertInvalid(nested)).containsExactly(Map.entry("retryPolicy.backoff", "must be one of FIXED, EXPONENTIAL"));
    }

    @Test
    void aValueOfTheWrongTypeNamesTheFieldAndTheTypeExpected() {
        Answer answer = api.post("workspaces/" + workspace + "/workflows",
                WORKFLOW + ",\"concurrencyLimit\":\"five\",\"enabled\":\"yes\",\"description\":{\"a\":1}}", session);

        assertThat(assertInvalid(answer)).containsOnly(
                Map.entry("concurrencyLimit", "must be an integer"),
                Map.entry("enabled", "must be true or false"),
                Map.entry("description", "must be a string"));

        assertThat(assertInvalid(api.post("workspaces/" + workspace + "/workflows",
                WORKFLOW + ",\"concurrencyLimit\":1.5}", session)))
                .as("a fraction is not an integer (JSON-B would read 1)")
                .containsExactly(Map.entry("concurrencyLimit", "must be an integer"));
        assertThat(assertInvalid(api.post("workspaces/" + workspace + "/workflows",
                WORKFLOW + ",\"concurrencyLimit\":2147483648}", session)))
                .containsExactly(Map.entry("concurrencyLimit", "must be an integer from -2147483648 to 2147483647"));

        // ids in a list, each by its index
        Answer ids = api.post("workspaces/" + workspace + "/dead-letters/requeue",
                "{\"ids\":[\"" + UUID.randomUUID() + "\",\"1-2-3-4-5\",7]}", session);
        assertThat(assertInvalid(ids)).containsOnlyKeys("ids[1]", "ids[2]");
        assertThat(assertInvalid(ids).get("ids[1]")).startsWith("must be a UUID");

        Answer workspaceId = api.post("support/issues", "{\"text\":\"x\",\"workspaceId\":\"nope\"}", session);
        assertThat(assertInvalid(workspaceId)).containsOnlyKeys("workspaceId");

        // a number or boolean where the contract says string is refused (JSON-B would store its text), and nothing changes
        Answer renamed = api.send("PATCH", "workspaces/" + workspace, "application/json", "{\"name\":12}", session);
        assertThat(assertInvalid(renamed)).containsExactly(Map.entry("name", "must be a string"));
        Answer created = api.post("workspaces", "{\"name\":true}", session);
        assertThat(assertInvalid(created)).containsExactly(Map.entry("name", "must be a string"));
        assertThat(api.get("workspaces/" + workspace, session).json().getString("name")).isNotEqualTo("12");
    }

    @Test
    void anUnknownPropertyIsNamed() {
        Answer answer = api.post("auth/signup", "{\"email\":\"" + newEmail() + "\",\"password\":\"12345678\","
                + "\"name\":\"X\",\"emial\":\"typo@example.com\"}");

        assertThat(assertInvalid(answer)).containsExactly(Map.entry("emial", "unknown property"));
        assertThat(answer.json().getString("detail")).isEqualTo("emial unknown property.");

        Answer nested = api.post("workspaces/" + workspace + "/workflows", WORKFLOW + ",\"retryPolicy\":{\"maxAttempts\":3,"
                + "\"backoff\":\"FIXED\",\"initialDelaySeconds\":1,\"maxDelaySeconds\":2,\"jitter\":true}}", session);
        assertThat(assertInvalid(nested)).containsExactly(Map.entry("retryPolicy.jitter", "unknown property"));
    }

    @Test
    void queryAndPathParametersThatCannotBeConvertedAre400sNamingTheParameter() {
        Answer limit = api.get("workspaces?limit=abc", session);
        assertThat(assertInvalid(limit)).containsOnlyKeys("limit");
        assertThat(limit.json().getString("detail")).startsWith("limit must be an integer");

        Answer workflow = api.post("workspaces/" + workspace + "/workflows", WORKFLOW + "}", session);
        assertThat(workflow.status()).as(workflow.toString()).isEqualTo(201);
        String versions = "workspaces/" + workspace + "/workflows/" + workflow.json().getString("id") + "/versions/";
        assertThat(api.get(versions + "1", session).status()).isEqualTo(200);
        Answer number = api.get(versions + "x", session);
        assertThat(assertInvalid(number)).containsOnlyKeys("number");
        assertThat(number.json().getString("detail")).startsWith("number must be an integer");

        Answer id = api.get("workspaces/not-a-uuid", session);
        assertThat(assertInvalid(id)).containsOnlyKeys("id");
        assertThat(id.json().getString("detail")).startsWith("id must be a UUID");

        Answer cursor = api.get(versions.substring(0, versions.length() - 1) + "?cursor=later", session);
        assertThat(assertInvalid(cursor)).containsOnlyKeys("cursor");

        // an anonymous caller is told to sign in first, whatever its parameters
        assertThat(api.get("workspaces/not-a-uuid", null).status()).isEqualTo(401);
        // a well-formed id that names nothing is still the area's answer
        assertThat(api.get("workspaces/" + UUID.randomUUID(), session).status()).isEqualTo(403);
    }

    @Test
    void aBodyOnGetOrDeleteIsAProblem() {
        for (String method : List.of("GET", "DELETE")) {
            Answer answer = api.send(api.request("workspaces/" + workspace, session)
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")).build());
            assertThat(assertInvalid(answer)).as(method).containsOnlyKeys("body");
            assertThat(answer.json().getString("detail")).startsWith(method + " takes no body");
        }
        assertThat(api.get("workspaces/" + workspace, session).status()).as("the workspace is still there").isEqualTo(200);
    }

    @Test
    void everyProblemCarriesTheRequestIdOfItsResponse() {
        Answer offered = api.send(api.request("workspaces?limit=abc", session).header("X-Request-Id", "client-42.a:b_c")
                .GET().build());
        assertThat(offered.header("X-Request-Id")).contains("client-42.a:b_c");
        assertThat(offered.json().getString("requestId")).isEqualTo("client-42.a:b_c");

        for (String refused : List.of("x".repeat(65), "has space", "semi;colon", "quote\"d")) {
            Answer generated = api.send(api.request("workspaces/not-a-uuid", session)
                    .header("X-Request-Id", refused).GET().build());
            String id = generated.header("X-Request-Id").orElseThrow();
            assertThat(id).as(refused).isNotEqualTo(refused).matches("[0-9a-f-]{36}");
            assertThat(generated.json().getString("requestId")).isEqualTo(id);
        }

        // answered by the authentication mechanism, before the servlet filters; by the container for paths
        // outside the API; and a success, which has its id in the header only
        Map<String, Answer> answers = new LinkedHashMap<>();
        answers.put("invalid token", api.get("me", "not-a-session"));
        answers.put("outside the API", api.get("../../nowhere", null));
        answers.put("unknown path", api.get("no-such-resource", session));
        answers.forEach((what, answer) -> {
            assertThat(answer.status()).as(what).isBetween(400, 499);
            String id = answer.header("X-Request-Id").orElseThrow(() -> new AssertionError(what + ": no X-Request-Id"));
            assertThat(answer.json().getString("requestId")).as(what).isEqualTo(id);
        });
        assertThat(api.get("me", session).header("X-Request-Id")).isPresent();
    }

    /** The 400 problem's field errors, by field; fails unless the answer is one. */
    private static Map<String, String> assertInvalid(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonObject problem = answer.json();
        assertThat(problem.getString("type")).as(answer.toString()).endsWith("/invalid-input");
        Map<String, String> errors = new LinkedHashMap<>();
        for (JsonValue error : problem.getJsonArray("errors")) {
            errors.put(error.asJsonObject().getString("field"), error.asJsonObject().getString("message"));
        }
        return errors;
    }
}
